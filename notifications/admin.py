from django.contrib import admin

from notifications.models import Alert


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["recipient", "level", "template", "dedup_key", "created_at", "read_at"]
    list_filter = ["level", "template"]
    search_fields = ["recipient__username", "dedup_key"]
    readonly_fields = ["recipient", "level", "template", "context", "link", "dedup_key", "created_at"]
