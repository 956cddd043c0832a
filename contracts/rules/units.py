"""How an amount kept as an integer in its unit is worded: fen as yuan, hundredths of an hour
or a day, days late. The one formatter of shortfalls (and of expected and actual values) that
pages, e-mails and documents use, so the same figure reads the same everywhere.

Numbers follow the active language's format (grouped by thousands in English, ¥1,234.56;
as Django's Chinese locale writes them, 1234.56元)."""

from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext, ngettext

from contracts.rules.terms.payroll import UNIT_DATE, UNIT_DAY_HUNDREDTHS, UNIT_FEN, UNIT_HOUR_HUNDREDTHS

HUNDREDTHS = {UNIT_FEN, UNIT_HOUR_HUNDREDTHS, UNIT_DAY_HUNDREDTHS}


def unit_amount(value: int, unit: str) -> Decimal:
    """The amount in the unit people count in: yuan for fen, hours or days for hundredths, days late as they are."""
    return Decimal(int(value)) / 100 if unit in HUNDREDTHS else Decimal(int(value))


def _grouped(amount: Decimal) -> str:
    return formats.number_format(amount, 2, use_l10n=True, force_grouping=True)


def quantity_text(value: int | str | None, unit: str) -> str:
    """``value`` in ``unit`` as people read it, in the active language: "¥1,234.56", "3.50 hours",
    "2.00 days", "3 days late"; a blank for no value."""
    if value is None or value == "":
        return ""
    value = int(value)
    if unit == UNIT_FEN:
        return gettext("¥%(amount)s") % {"amount": _grouped(unit_amount(value, unit))}
    if unit == UNIT_HOUR_HUNDREDTHS:
        return gettext("%(n)s hours") % {"n": _grouped(unit_amount(value, unit))}
    if unit == UNIT_DAY_HUNDREDTHS:
        return gettext("%(n)s days") % {"n": _grouped(unit_amount(value, unit))}
    if unit == UNIT_DATE:
        return ngettext("%(n)s day late", "%(n)s days late", value) % {"n": value}
    return formats.number_format(value, use_l10n=True, force_grouping=True)
