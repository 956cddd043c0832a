from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BargainingConfig(AppConfig):
    name = "bargaining"
    verbose_name = _("Collective bargaining")

    def ready(self):
        from bargaining.records import NegotiationRecordsFromDatabase
        from contracts.documents.negotiation_records import negotiation_records_register

        # Contracts print minutes and list representatives without importing bargaining.
        negotiation_records_register(NegotiationRecordsFromDatabase())
