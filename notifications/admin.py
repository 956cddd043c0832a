from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from notifications.models import Alert, Delivery, DeliveryStatus, Digest, Preference
from notifications.services import delivery_retry


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["recipient", "level", "template", "mailing", "dedup_key", "created_at", "read_at"]
    list_filter = ["level", "template", "mailing"]
    search_fields = ["recipient__username", "dedup_key"]
    list_select_related = ["recipient"]
    readonly_fields = [
        "recipient",
        "level",
        "template",
        "context",
        "link",
        "dedup_key",
        "mailing",
        "digest",
        "created_at",
    ]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The e-mail outbox. Filter on "failed" for what never reached its recipient."""

    list_display = ["id", "recipient", "status", "attempts", "alert", "digest", "created_at", "sent_at", "last_error"]
    list_filter = ["status"]
    search_fields = ["recipient__username", "to_address", "message_id", "alert__dedup_key"]
    list_select_related = ["recipient", "alert", "digest"]
    readonly_fields = [
        "alert",
        "digest",
        "recipient",
        "status",
        "attempts",
        "next_attempt_at",
        "lease_until",
        "last_error",
        "to_address",
        "message_id",
        "created_at",
        "sent_at",
        "announced_at",
    ]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send the selected failed e-mails again"))
    def send_again(self, request, queryset):
        queued = sum(delivery_retry(delivery=d) for d in queryset.filter(status=DeliveryStatus.FAILED))
        self.message_user(
            request,
            ngettext("%(n)d e-mail queued again.", "%(n)d e-mails queued again.", queued) % {"n": queued},
            messages.SUCCESS,
        )


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ["recipient", "date", "created_at"]
    list_filter = ["date"]
    search_fields = ["recipient__username"]
    list_select_related = ["recipient"]
    readonly_fields = ["recipient", "date", "created_at"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "mode", "language", "opted_out_levels"]
    list_filter = ["mode", "language"]
    search_fields = ["user__username"]
    list_select_related = ["user"]
