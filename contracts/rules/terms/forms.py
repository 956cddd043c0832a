"""A term kind's parameters as a form: one field per parameter, built from its schema, with its
unit beside it (元, hours, ×, %, day of the month), and annual-leave tiers as rows.

The form only turns what was typed into the JSON parameters the services take; the services
check them against the schema (``term_params_validate``) and refuse what does not fit."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from contracts.rules.terms import TERM_KINDS
from contracts.rules.terms.base import Input, Param, TermKind

TIER_ROWS = 4  # rows offered for annual-leave tiers; empty rows are left out

UNITS: dict[str, Any] = {
    Input.MONEY: _("yuan"),
    Input.HOURS: _("hours"),
    Input.MULTIPLIER: "×",
    Input.PERCENT: "%",
    Input.DAY_OF_MONTH: _("day of the month"),
    Input.DAYS: _("days"),
}


# A figure of a term: under a trillion, to the hundredth (fen, a hundredth of an hour or a day).
PARAM_DIGITS, PARAM_PLACES = 14, 2


def with_unit(field: forms.Field, unit: Any) -> forms.Field:
    """Give ``field`` the unit that ``partials/form_fields.html`` shows after its input."""
    vars(field)["unit"] = unit
    return field


def _field(param: Param) -> forms.Field:
    required = param.required
    label = param.label or param.name
    field: forms.Field
    if param.input in (Input.DAY_OF_MONTH, Input.DAYS):
        field = forms.IntegerField(label=label, required=required, min_value=0)
    elif param.input == Input.PERIOD:
        field = forms.CharField(
            label=label,
            required=required,
            max_length=7,
            help_text=_("A year (2025) or a month (2025-06)."),
            widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "2025"}),
        )
    else:
        field = forms.DecimalField(
            label=label,
            required=required,
            max_digits=PARAM_DIGITS,
            decimal_places=PARAM_PLACES,
            widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        )
    with_unit(field, UNITS.get(str(param.input), ""))
    if param.default is not None and param.input != Input.TIERS:
        field.initial = param.default
    return field


class TermParamsForm(forms.Form):
    """The parameters of one term kind; ``params()`` gives them as the services take them."""

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind: TermKind = TERM_KINDS[kind]
        for param in self.kind.params:
            if param.input == Input.TIERS:
                defaults = list(param.default or [])
                for row in range(TIER_ROWS):
                    tier = defaults[row] if row < len(defaults) else {}
                    self.fields[f"{param.name}-{row}-from_years"] = forms.IntegerField(
                        label=_("From years of service"), required=False, min_value=0, initial=tier.get("from_years")
                    )
                    self.fields[f"{param.name}-{row}-days"] = forms.IntegerField(
                        label=_("Days of leave"), required=False, min_value=0, initial=tier.get("days")
                    )
                    with_unit(self.fields[f"{param.name}-{row}-days"], _("days"))
            else:
                self.fields[param.name] = _field(param)

    def layout(self) -> dict[str, Any]:
        """The fields as templates lay them out (``templates/partials/term_tiers.html``): plain
        fields one a line, tiers as rows, each tier field named for a screen reader."""
        tiers, plain = [], []
        for param in self.kind.params:
            if param.input == Input.TIERS:
                rows = self.tier_rows(param.name)
                for number, row in enumerate(rows, start=1):
                    for field in row:  # the column heads name them on screen; a screen reader hears this
                        field.field.widget.attrs["aria-label"] = f"{field.label} ({number})"
                tiers.append({"label": param.label, "rows": rows})
            else:
                plain.append(self[param.name])
        return {"tiers": tiers, "fields": plain}

    def tier_rows(self, name: str) -> list[tuple[forms.BoundField, forms.BoundField]]:
        """The (from years, days) fields of each tier row, for a template that lays them out as rows."""
        return [(self[f"{name}-{row}-from_years"], self[f"{name}-{row}-days"]) for row in range(TIER_ROWS)]

    def params(self) -> dict[str, Any]:
        """The cleaned parameters as JSON values (numbers as text, as the schema normalises them)."""
        values: dict[str, Any] = {}
        for param in self.kind.params:
            if param.input == Input.TIERS:
                tiers = []
                for row in range(TIER_ROWS):
                    years = self.cleaned_data.get(f"{param.name}-{row}-from_years")
                    days = self.cleaned_data.get(f"{param.name}-{row}-days")
                    if years is not None or days is not None:
                        tiers.append({"from_years": years, "days": days})
                values[param.name] = tiers
                continue
            value = self.cleaned_data.get(param.name)
            if value is None or value == "":
                continue
            values[param.name] = format(value, "f") if isinstance(value, Decimal) else value
        return values


def params_initial(kind: str, params: dict[str, Any]) -> dict[str, Any]:
    """Stored parameters of a term of ``kind`` as the initial values of its ``TermParamsForm``."""
    initial: dict[str, Any] = {}
    for param in TERM_KINDS[kind].params:
        value = params.get(param.name)
        if value is None:
            continue
        if param.input == Input.TIERS:
            for row, tier in enumerate(value):
                initial[f"{param.name}-{row}-from_years"] = tier.get("from_years")
                initial[f"{param.name}-{row}-days"] = tier.get("days")
        else:
            initial[param.name] = value
    return initial
