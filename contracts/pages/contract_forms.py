"""The forms of the contract workspace: a clause with its typed terms (each term's figures a
``TermParamsForm`` built from its kind's schema), and the dates of filing, receipt and objection.
They only parse what was typed; the services decide whether it stands."""

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from config import limits
from contracts.errors import InvalidTermParams, UnknownTermKind
from contracts.models import Clause, Contract
from contracts.rules.terms import TERM_KINDS, ClauseCategory, term_params_validate
from contracts.rules.terms.forms import TermParamsForm, params_initial


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ClauseForm(forms.Form):
    category = forms.ChoiceField(label=_("Chapter"), choices=ClauseCategory.choices)
    title = forms.CharField(label=_("Heading"), max_length=200, required=False)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 5}))
    number = forms.CharField(
        label=_("Reference number"),
        max_length=32,
        help_text=_("The negotiators' own reference; the printed article number follows the order of the chapters."),
    )
    terms = forms.MultipleChoiceField(required=False, widget=forms.MultipleHiddenInput)

    def __init__(self, *args: Any, refresh_url: str = "", target: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        terms = self.fields["terms"]
        assert isinstance(terms, forms.MultipleChoiceField)
        terms.choices = [(code, kind.label) for code, kind in TERM_KINDS.items()]
        if refresh_url and target:
            # Choosing another chapter redraws the form with the terms of that chapter.
            self.fields["category"].widget.attrs.update(
                {
                    "hx-get": refresh_url,
                    "hx-trigger": "change",
                    "hx-target": target,
                    "hx-swap": "outerHTML",
                    "hx-include": "closest form",
                }
            )
        self.order_fields(["category", "title", "text", "number"])


class ClauseTerms:
    """The typed terms offered for a clause: every kind of its chapter and any it already holds,
    each with a box to include it and its figures' form."""

    def __init__(
        self, *, category: str, clause: Clause | None, included: list[str] | None, data=None, auto_id: str = "id_%s"
    ) -> None:
        stored = {term["kind"]: term["params"] for term in (clause.terms if clause else []) if term.get("kind")}
        offered = [code for code, kind in TERM_KINDS.items() if kind.category == category or code in stored]
        self.included = [code for code in (stored if included is None else included) if code in TERM_KINDS]
        self.blocks = []
        for code in offered:
            kind = TERM_KINDS[code]
            on = code in self.included
            prefix = f"term-{code}"
            if data is not None and on:
                form = TermParamsForm(data, kind=code, prefix=prefix, auto_id=auto_id, label_suffix="")
            else:
                initial = params_initial(code, stored.get(code, {}))
                form = TermParamsForm(kind=code, prefix=prefix, initial=initial, auto_id=auto_id, label_suffix="")
            self.blocks.append({"code": code, "kind": kind, "on": on, "form": form, **form.layout()})

    def is_valid(self) -> bool:
        """Each included term's figures parse and fit its kind's schema; reasons go beside the fields."""
        valid = True
        for block in self.blocks:
            if not block["on"]:
                continue
            form = block["form"]
            if not form.is_valid():
                valid = False
                continue
            try:
                term_params_validate(kind=block["code"], params=form.params())
            except (InvalidTermParams, UnknownTermKind) as refusal:
                valid = False
                reasons = (refusal.extra or {}).get("params") or {}
                for name, reason in reasons.items():
                    field = name if name in form.fields else None
                    form.add_error(field, reason)
                if not reasons:
                    form.add_error(None, str(refusal.message))
        return valid

    def terms(self) -> list[dict[str, Any]]:
        """The included terms as the services take them."""
        return [{"kind": block["code"], "params": block["form"].params()} for block in self.blocks if block["on"]]


class MoveForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class FileForm(MoveForm):
    filed_on = limits.FormDateField(label=_("Filed on"), widget=date_input())


class ReceiptForm(MoveForm):
    receipt_on = limits.FormDateField(label=_("Received by the labour administration on"), widget=date_input())
    effective_on = limits.FormDateField(
        label=_("Effective date confirmed by the administration"),
        required=False,
        help_text=_("Leave empty unless the administration confirmed a date."),
        widget=date_input(),
    )


class ObjectionForm(MoveForm):
    objected_on = limits.FormDateField(label=_("Objection received on"), widget=date_input())
    text = forms.CharField(
        label=_("Text of the objection"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The administration's review opinion, as written. The contract goes back to draft."),
    )


def form_id(clause: Clause | None) -> str:
    return f"clause-form-{clause.pk}" if clause else "clause-form-new"


def _next_number(contract: Contract) -> str:
    """The first whole number not yet used as a clause's reference."""
    used = set(contract.clauses.values_list("number", flat=True))
    n = len(used) + 1
    while str(n) in used:
        n += 1
    return str(n)


def _category(values, default: str) -> str:
    category = values.get("category") or default
    return category if category in ClauseCategory.values else ClauseCategory.PAY


def clause_forms(
    contract: Contract, clause: Clause | None, *, values=None, data=None
) -> tuple[ClauseForm, ClauseTerms]:
    """The clause form and its terms: bound to ``data`` (a POST), or preset from the clause and
    from ``values`` (a query: the chapter chosen, what was typed so far). Each form's fields get
    ids of their own (``id_clause-form-7-text``), since several forms share the workspace."""
    values = values if values is not None else {}
    refresh = (
        reverse("contracts:clause_edit", args=[contract.pk, clause.pk])
        if clause
        else reverse("contracts:clause_new", args=[contract.pk])
    )
    ids = {"refresh_url": refresh, "target": f"#{form_id(clause)}", "auto_id": f"id_{form_id(clause)}-%s"}
    if data is not None:
        form = ClauseForm(data, **ids)
        category = _category(data, ClauseCategory.PAY)
        terms = ClauseTerms(
            category=category, clause=clause, included=data.getlist("terms"), data=data, auto_id=ids["auto_id"]
        )
        return form, terms
    initial = (
        {"category": clause.category, "title": clause.title, "text": clause.text, "number": clause.number}
        if clause
        else {"category": ClauseCategory.PAY, "number": _next_number(contract)}
    )
    for name in ("category", "title", "text", "number"):
        if values.get(name):
            initial[name] = values[name]
    category = _category(initial, ClauseCategory.PAY)
    included = values.getlist("terms") if hasattr(values, "getlist") and "category" in values else None
    terms = ClauseTerms(category=category, clause=clause, included=included, auto_id=ids["auto_id"])
    return ClauseForm(initial=initial, **ids), terms
