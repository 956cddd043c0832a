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
        from contracts.rules.calendar.recompute import calendar_edits_connect, calendar_recompute_register
        from contracts.services.calendar_recompute import contract_deadlines_recompute, moved_alert_labels
        from notifications.rendering import register_context_processor
        from notifications.signals import alert_delivered

        # The core prints rectification notices without importing the compliance room.
        breach_records_register(BreachRecordsFromDatabase())
        register_context_processor(notify.alert_labels)
        # A change of the holiday calendar (a notice loaded, a day edited in the admin) counts the
        # open deadlines again: the contracts' here, the negotiations' from BargainingConfig.
        calendar_recompute_register("contracts.review", contract_deadlines_recompute)
        register_context_processor(moved_alert_labels)
        calendar_edits_connect()
        alert_delivered.connect(
            compliance_notify.breach_alert_delivered, dispatch_uid="contracts.breach_alert_delivered"
        )
