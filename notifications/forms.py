"""The forms of the alert pages: which alerts the inbox shows, and how a person is told."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from notifications.models import MANDATORY_LEVELS, Level, Mode, Preference
from notifications.rendering import LEVEL_ORDER

READ_CHOICES = [
    ("", _("All alerts")),
    ("unread", pgettext_lazy("alerts", "Unread")),
    ("read", pgettext_lazy("alerts", "Read")),
]


class AlertFilterForm(forms.Form):
    """The inbox's filters (GET); a value it does not know is ignored, not refused."""

    read = forms.ChoiceField(label=_("Show"), choices=READ_CHOICES, required=False)
    level = forms.ChoiceField(
        label=_("Level"),
        choices=[("", _("All levels")), *((value, capfirst(label)) for value, label in Level.choices)],
        required=False,
    )

    def filters(self) -> dict[str, Any]:
        """The keyword arguments of ``alert_list`` these filters ask for."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        read = {"unread": False, "read": True}.get(data.get("read") or "")
        return {"level": data.get("level") or None, "read": read}


class LevelsWidget(forms.CheckboxSelectMultiple):
    """The levels' checkboxes; those nobody may turn off are shown ticked and cannot be unticked
    (their values are sent in hidden fields, so the service, not the page, decides on them)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value in MANDATORY_LEVELS:
            option["attrs"] = {**option["attrs"], "disabled": True, "checked": True}
        return option


def _language_choices() -> list[tuple[str, str]]:
    """Each language by its own name (简体中文, English): a reader finds theirs whatever the page's."""
    return [(code, translation.get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES]


class PreferenceForm(forms.Form):
    mode = forms.ChoiceField(label=_("How alerts reach you by e-mail"), choices=Mode.choices, widget=forms.RadioSelect)
    emailed_levels = forms.MultipleChoiceField(
        label=_("Alerts e-mailed to you"),
        choices=sorted(Level.choices, key=lambda choice: LEVEL_ORDER[choice[0]]),  # breaches first
        required=False,
        widget=LevelsWidget,
        help_text=_("Whatever you choose, every alert also shows on your alerts page."),
    )
    language = forms.ChoiceField(
        label=_("Language of your e-mails"),
        choices=_language_choices,
        widget=forms.RadioSelect,
        help_text=_("The pages follow the language chosen at the top of each page."),
    )

    @staticmethod
    def initial_for(preference: Preference) -> dict[str, Any]:
        opted_out = set(preference.opted_out_levels)
        return {
            "mode": preference.mode,
            "language": preference.language,
            "emailed_levels": [level for level in Level.values if level not in opted_out],
        }

    def mandatory_levels(self) -> list[str]:
        """The levels sent in hidden fields beside their disabled checkboxes."""
        return [level for level in Level.values if level in MANDATORY_LEVELS]

    def preference_fields(self) -> dict[str, Any]:
        """What ``preference_update`` takes: the levels left unticked are the ones opted out of."""
        emailed = set(self.cleaned_data["emailed_levels"])
        return {
            "mode": self.cleaned_data["mode"],
            "language": self.cleaned_data["language"],
            "opted_out_levels": [level for level in Level.values if level not in emailed],
        }
