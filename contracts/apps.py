from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = _("Collective contracts")

    def ready(self):
        from contracts import notify
        from notifications.rendering import register_context_processor
        from notifications.signals import alert_delivered

        register_context_processor(notify.alert_labels)
        alert_delivered.connect(notify.breach_alert_delivered, dispatch_uid="contracts.breach_alert_delivered")
