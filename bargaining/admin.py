from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from bargaining.models import AgreedPosition, ConsultationSession, Negotiation, Proposal, Representative


class RepresentativeInline(admin.TabularInline):
    model = Representative
    extra = 0
    fk_name = "negotiation"


@admin.register(Negotiation)
class NegotiationAdmin(SimpleHistoryAdmin):
    list_display = ["title", "enterprise", "kind", "status", "reply_due"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "enterprise__name"]
    inlines = [RepresentativeInline]
    # Status moves only through the services; the admin shows it.
    readonly_fields = ["status", "reply_due", "reply_rule"]


@admin.register(Representative)
class RepresentativeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "side", "negotiation", "is_chief", "is_external", "vacated_on"]
    list_filter = ["side", "is_chief", "is_external"]
    search_fields = ["name"]


@admin.register(ConsultationSession)
class ConsultationSessionAdmin(SimpleHistoryAdmin):
    list_display = ["negotiation", "round_no", "held_at", "chair_side", "union_signed_at", "employer_signed_at"]
    readonly_fields = ["union_signed_by", "union_signed_at", "employer_signed_by", "employer_signed_at"]

    def has_change_permission(self, request, obj=None):
        # R4: signed minutes are immutable, in the admin too.
        return super().has_change_permission(request, obj) and not (obj and obj.is_signed)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_signed)


@admin.register(Proposal)
class ProposalAdmin(SimpleHistoryAdmin):
    list_display = ["negotiation", "session", "side", "clause_category", "term_kind"]
    list_filter = ["side", "clause_category", "term_kind"]


@admin.register(AgreedPosition)
class AgreedPositionAdmin(SimpleHistoryAdmin):
    list_display = ["negotiation", "clause_category", "term_kind"]
