from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = _("Collective contracts")

    def ready(self):
        # The sub-rooms' admin pages (Django's autodiscovery imports only ``contracts.admin``).
        import contracts.compliance.admin
        import contracts.enterprises.admin  # noqa: F401
        from contracts import notify
        from contracts.compliance import notify as compliance_notify
        from notifications.rendering import register_context_processor
        from notifications.signals import alert_delivered

        register_context_processor(notify.alert_labels)
        alert_delivered.connect(
            compliance_notify.breach_alert_delivered, dispatch_uid="contracts.breach_alert_delivered"
        )
