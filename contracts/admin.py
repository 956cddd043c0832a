from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from contracts.models import BallotReceipt, CongressSession, Enterprise, Federation, Membership


@admin.register(Federation)
class FederationAdmin(SimpleHistoryAdmin):
    search_fields = ["name"]


@admin.register(Enterprise)
class EnterpriseAdmin(SimpleHistoryAdmin):
    list_display = ["name", "union_name", "federation", "rule_pack", "local_minimum_wage"]
    list_filter = ["federation", "rule_pack"]
    search_fields = ["name", "union_name"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "enterprise", "federation"]
    list_filter = ["role"]
    search_fields = ["user__username", "enterprise__name"]
    autocomplete_fields = ["enterprise", "federation"]


# --- Workers' congress (R6): read-only, and never a delegate next to a choice ----------------
# Sessions change only through the congress services. The ballot box is not registered:
# its counters are the only place choices exist, and they show on the session once it closes.


@admin.register(CongressSession)
class CongressSessionAdmin(SimpleHistoryAdmin):
    list_display = ["contract", "held_on", "mode", "delegates_total", "present", "passed", "closed_at"]
    list_filter = ["mode", "passed"]
    search_fields = ["contract__title", "contract__enterprise__name"]
    list_select_related = ["contract"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_fields(self, request, obj=None):
        fields = [
            "contract",
            "delegates_total",
            "held_on",
            "mode",
            "contract_version",
            "present",
            "yes",
            "no",
            "abstain",
            "closed_at",
            "passed",
            "result",
        ]
        if obj is not None and not obj.is_closed:
            # An open session's running counts would tell, read twice, what the last delegate chose.
            fields = [name for name in fields if name not in ("yes", "no", "abstain")]
        return fields


@admin.register(BallotReceipt)
class BallotReceiptAdmin(admin.ModelAdmin):
    """Who voted in which session: the receipt holds no choice and no time."""

    list_display = ["session", "delegate"]
    list_select_related = ["session__contract", "delegate"]
    # Ordered by name, not by insertion, so the listing does not replay the order of voting.
    ordering = ["session", "delegate__username"]
    fields = ["session", "delegate"]
    search_fields = ["delegate__username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
