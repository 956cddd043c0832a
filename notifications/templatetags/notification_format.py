"""Formatting for e-mails: dates stored as ISO text, and amounts stored as integers with a unit."""

import datetime as dt
from decimal import Decimal

from django import template
from django.utils import formats
from django.utils.translation import gettext, ngettext, pgettext

register = template.Library()


@register.filter
def day(value) -> str:
    """An ISO date ("2026-03-24") in the active language's date format."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    return formats.date_format(value, "DATE_FORMAT")


def _hundredths(value: int) -> str:
    return formats.number_format(Decimal(value) / 100, 2, use_l10n=True, force_grouping=True)


@register.filter
def quantity(value, unit: str) -> str:
    """An integer amount in its unit: fen as yuan, hundredths of hours or days, days late."""
    if value is None or value == "":
        return ""
    value = int(value)
    if unit == "fen":
        return gettext("¥%(amount)s") % {"amount": _hundredths(value)}
    if unit == "hour_hundredths":
        return gettext("%(n)s hours") % {"n": _hundredths(value)}
    if unit == "day_hundredths":
        return gettext("%(n)s days") % {"n": _hundredths(value)}
    if unit == "date":
        return ngettext("%(n)s day late", "%(n)s days late", value) % {"n": value}
    return formats.number_format(value, use_l10n=True, force_grouping=True)


@register.filter
def days_left(value) -> int | None:
    """Days from today (Asia/Shanghai) to an ISO date; negative once it has passed."""
    from django.utils import timezone

    if not value:
        return None
    try:
        due = dt.date.fromisoformat(str(value))
    except ValueError:
        return None
    return (due - timezone.localdate()).days


@register.filter
def days_late(value) -> int | None:
    """Days since an ISO date passed (0 or less while it has not)."""
    left = days_left(value)
    return None if left is None else -left


@register.simple_tag
def sep() -> str:
    """Between a label and its value in plain text: ": ", or the full-width "：" in Chinese."""
    return pgettext("between a label and its value", ": ")
