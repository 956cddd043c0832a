"""The forms of the negotiation workspace: they only parse what was typed; the services judge it."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bargaining import selectors
from bargaining.models import Negotiation, NegotiationKind, Side
from config import limits

# Radio buttons side by side (concord.css .checks), wrapping on a phone.
RADIOS = forms.RadioSelect(attrs={"class": "checks"})


def _date_field(label: Any, **kwargs: Any) -> forms.DateField:
    # Limited to config.limits' range: one far-out date used to break the deadline sums.
    # type=date sends ISO dates whatever the language; the localized formats still parse without JS.
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    return limits.FormDateField(label=label, widget=widget, **kwargs)


class NegotiationCreateForm(forms.Form):
    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=NegotiationKind.choices)

    def __init__(self, *args: Any, enterprises, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        if len(enterprises) == 1:
            self.fields["enterprise"].initial = enterprises.first()


class RequestForm(forms.Form):
    requested_by = forms.ChoiceField(label=_("Requested by"), choices=Side.choices, widget=RADIOS)
    received_on = _date_field(_("Received on"))
    text = forms.CharField(label=_("Text of the request"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class RespondForm(forms.Form):
    accepted = forms.TypedChoiceField(
        label=_("Answer"),
        choices=[("1", _("Accept: talks will be held")), ("0", _("Decline"))],
        coerce=lambda value: value == "1",
        widget=RADIOS,
    )
    responded_on = _date_field(_("Answered on"), initial=timezone.localdate)
    text = forms.CharField(label=_("Text of the answer"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class RepresentativeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    side = forms.ChoiceField(label=_("Side"), choices=Side.choices, widget=RADIOS)
    login = forms.ModelChoiceField(
        label=_("Login"), queryset=None, required=False, help_text=_("Optional: lets this person sign minutes.")
    )
    is_chief = forms.BooleanField(label=_("Chief representative"), required=False)
    is_external = forms.BooleanField(label=_("Outside expert"), required=False)
    replaces = forms.ModelChoiceField(label=_("Fills the vacancy of"), queryset=None, required=False)

    def __init__(self, *args: Any, negotiation: Negotiation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].queryset = selectors.representative_candidates(negotiation=negotiation)
        self.fields["login"].label_from_instance = lambda user: user.get_full_name() or user.get_username()
        vacancies = selectors.representative_vacancies(negotiation=negotiation)
        self.fields["replaces"].queryset = vacancies
        self.fields["replaces"].label_from_instance = lambda r: f"{r.name} ({r.get_side_display()})"
        if not vacancies:
            del self.fields["replaces"]


class RepresentativeFlagForm(forms.Form):
    field = forms.ChoiceField(choices=[("is_chief", _("chief representative")), ("is_external", _("outside expert"))])
    value = forms.TypedChoiceField(choices=[("1", _("yes")), ("0", _("no"))], coerce=lambda value: value == "1")


class VacateForm(forms.Form):
    on = _date_field(_("Left office on"), initial=timezone.localdate)


class SuspendForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    next_meeting_at = limits.FormDateTimeField(
        label=_("Next meeting"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    next_meeting_location = forms.CharField(label=_("Next meeting place"), max_length=200)


class ConcludeForm(forms.Form):
    contract_term_start = _date_field(_("Contract term starts"), required=False)
    contract_term_end = _date_field(
        _("Contract term ends"), required=False, help_text=_("Leave both empty for the usual term (R10).")
    )


# --- What the pages read ---------------------------------------------------------------------
