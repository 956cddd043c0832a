"""The admin page of the rule packs' settings (registered from ``contracts.admin``).

A change of the majority needs its legal basis written anew; who saved it, and when, is kept
on the row and in its history."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from contracts.rules.pack_settings.models import RulePackSetting


class RulePackSettingForm(forms.ModelForm):
    class Meta:
        model = RulePackSetting
        fields = ["pack", "congress_majority", "legal_basis"]

    def clean(self):
        cleaned = super().clean()
        if (
            self.instance.pk is not None
            and "congress_majority" in self.changed_data
            and "legal_basis" not in self.changed_data
        ):
            self.add_error("legal_basis", _("Changing the majority needs the legal basis of the new choice."))
        return cleaned


@admin.register(RulePackSetting)
class RulePackSettingAdmin(SimpleHistoryAdmin):
    form = RulePackSettingForm
    list_display = ["pack", "congress_majority", "changed_by", "changed_at"]
    list_select_related = ["changed_by"]
    fields = ["pack", "congress_majority", "legal_basis", "changed_by", "changed_at"]
    readonly_fields = ["changed_by", "changed_at"]

    def get_readonly_fields(self, request, obj=None):
        # A setting belongs to its pack: another pack gets its own row.
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "pack"] if obj is not None else fields

    def save_model(self, request, obj, form, change):
        obj.changed_by = request.user
        super().save_model(request, obj, form, change)
