from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

# Register the admin pages of the rules room: the holiday calendar, the rule packs' settings.
import contracts.rules.calendar.admin
import contracts.rules.pack_settings.admin  # noqa: F401
from config.admin import ReadOnlyAdmin
from contracts.models import BallotReceipt, Clause, CongressSession, Contract, ContractStatus, ContractVersion, Document

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


# --- Contracts: status and versions move only through the services ---------------------------


class ClauseInline(admin.StackedInline):
    model = Clause
    extra = 0
    fields = ["number", "position", "category", "title", "text", "terms"]

    def has_change_permission(self, request, obj=None):
        # An approved, signed or effective contract is immutable, in the admin too.
        return super().has_change_permission(request, obj) and (obj is None or obj.status == ContractStatus.DRAFT)

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission


@admin.register(Contract)
class ContractAdmin(SimpleHistoryAdmin):
    list_display = ["title", "enterprise", "kind", "status", "term_start", "term_end", "version"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "enterprise__name"]
    list_select_related = ["enterprise"]
    inlines = [ClauseInline]
    readonly_fields = [
        "status",
        "version",
        "union_signed_at",
        "employer_signed_at",
        "signed_on",
        "filed_on",
        "receipt_on",
        "review_deadline",
        "effective_on",
        "objection_text",
        "objected_on",
    ]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.status == ContractStatus.DRAFT)


@admin.register(Clause)
class ClauseAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "category", "contract"]
    list_filter = ["category"]
    search_fields = ["title", "text", "contract__title"]

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.contract.status == ContractStatus.DRAFT)


@admin.register(ContractVersion)
class ContractVersionAdmin(ReadOnlyAdmin):
    list_display = ["contract", "number", "status", "change", "created_by", "created_at"]
    list_select_related = ["contract", "created_by"]


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["contract", "kind", "language", "contract_version", "status", "rendered_at"]
    list_filter = ["kind", "status", "language"]
