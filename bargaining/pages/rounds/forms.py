"""The forms of the round pages: opening a round, and tabling a position with the parameters
of its term kind (``TermParamsForm``, built from the kind's schema). They only parse what was
typed; the services decide whether it stands."""

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from bargaining import selectors
from bargaining.models import ConsultationSession, Negotiation, Side
from bargaining.pages.rounds.shared import representative_label, side_label
from config import limits
from contracts.rules.terms import TERM_KINDS, ClauseCategory
from contracts.rules.terms.forms import TermParamsForm, params_initial


class RoundOpenForm(forms.Form):
    held_at = limits.FormDateTimeField(
        label=gettext_lazy("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    location = forms.CharField(label=gettext_lazy("Place"), max_length=200)
    chair_side = forms.ChoiceField(label=gettext_lazy("Chaired by"))
    agenda = forms.CharField(
        label=gettext_lazy("Agenda"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One topic a line."),
    )

    def __init__(self, *args: Any, negotiation: Negotiation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chair_side"].choices = [(side.value, side_label(side)) for side in Side]
        serving = selectors.representative_list(negotiation=negotiation).filter(vacated_on__isnull=True)
        for side in Side:
            field = forms.ModelMultipleChoiceField(
                queryset=serving.filter(side=side),
                required=False,
                label=_("Present for the %(side)s side") % {"side": side.label},
                widget=forms.CheckboxSelectMultiple(attrs={"class": "checks"}),
            )
            field.label_from_instance = representative_label
            self.fields[f"{side}_attendees"] = field
        self.order_fields(["held_at", "location", "chair_side", "union_attendees", "employer_attendees", "agenda"])


class ProposalForm(forms.Form):
    side = forms.ChoiceField(label=gettext_lazy("For the side"))
    clause_category = forms.ChoiceField(label=gettext_lazy("Clause category"))
    term_kind = forms.ChoiceField(label=pgettext_lazy("a typed clause term", "Term"), required=False)
    text = forms.CharField(
        label=gettext_lazy("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("The wording proposed; for a typed term, an optional note beside its figures."),
    )

    def __init__(self, *args: Any, sides: list[Side], category: str, refresh_url: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any side parses and the service decides (require_side); the select offers the user's own.
        self.fields["side"].choices = [(side.value, side_label(side)) for side in Side]
        self.fields["side"].widget.choices = [(side.value, side_label(side)) for side in sides]
        self.fields["clause_category"].choices = ClauseCategory.choices
        self.fields["term_kind"].choices = [
            ("", _("No typed term (text only)")),
            *((code, kind.label) for code, kind in TERM_KINDS.items() if kind.category == category),
        ]
        # Choosing the side, category or term redraws the form with that term's parameters.
        for name in ("side", "clause_category", "term_kind"):
            self.fields[name].widget.attrs.update(
                {
                    "hx-get": refresh_url,
                    "hx-trigger": "change",
                    "hx-target": "#proposal-form",
                    "hx-swap": "outerHTML",
                    "hx-include": "closest form",
                }
            )


def proposal_forms(
    negotiation: Negotiation, session: ConsultationSession, sides: list[Side], *, values, data=None
) -> tuple[ProposalForm, TermParamsForm | None]:
    """The proposal form and its term's parameters form: bound to ``data`` (a POST), or preset
    from ``values`` (a query, or what was just tabled) with the side's latest figures on that topic."""
    category = values.get("clause_category") or ClauseCategory.PAY
    if category not in ClauseCategory.values:
        category = ClauseCategory.PAY
    kind = values.get("term_kind") or ""
    if kind not in TERM_KINDS or TERM_KINDS[kind].category != category:
        kind = ""
    own = [side.value for side in sides]
    side = values.get("side") if values.get("side") in own else (own[0] if own else "")
    form = ProposalForm(
        data,
        sides=sides,
        category=category,
        refresh_url=reverse("bargaining:round_proposal", args=[negotiation.pk, session.pk]),
        initial={"side": side, "clause_category": category, "term_kind": kind},
    )
    if not kind:
        return form, None
    if data is not None:
        return form, TermParamsForm(data, kind=kind, prefix="params")
    latest = (
        negotiation.proposals.filter(side=side, clause_category=category, term_kind=kind)
        .order_by("-session__round_no", "-created_at", "-id")
        .first()
    )
    return form, TermParamsForm(
        kind=kind, prefix="params", initial=params_initial(kind, latest.params) if latest else {}
    )


def params_layout(params_form: TermParamsForm | None) -> dict[str, Any] | None:
    """The parameters' form with its fields as the template lays them out."""
    if params_form is None:
        return None
    return {"form": params_form, "kind": params_form.kind, **params_form.layout()}
