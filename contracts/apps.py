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
        from contracts.compliance.records import BreachRecordsFromDatabase
        from contracts.documents.breach_records import breach_records_register
        from notifications.rendering import register_context_processor
        from notifications.signals import alert_delivered

        # The core prints rectification notices without importing the compliance room.
        breach_records_register(BreachRecordsFromDatabase())
        register_context_processor(notify.alert_labels)
        alert_delivered.connect(
            compliance_notify.breach_alert_delivered, dispatch_uid="contracts.breach_alert_delivered"
        )
