from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BargainingConfig(AppConfig):
    name = "bargaining"
    verbose_name = _("Collective bargaining")

    def ready(self):
        from bargaining.records import NegotiationRecordsFromDatabase
        from bargaining.services.calendar_recompute import negotiation_deadlines_recompute
        from contracts.documents.negotiation_records import negotiation_records_register
        from contracts.rules.calendar.recompute import calendar_recompute_register

        # Contracts print minutes and list representatives without importing bargaining.
        negotiation_records_register(NegotiationRecordsFromDatabase())
        # A change of the holiday calendar counts the answers still awaited again (R1, R16).
        calendar_recompute_register("bargaining.negotiations", negotiation_deadlines_recompute)
