"""The admin of enterprises and memberships (registered from ``ContractsConfig.ready``)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from contracts.enterprises.models import Enterprise, Federation, Membership


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
