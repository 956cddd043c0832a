"""Formatting for e-mails: dates stored as ISO text. Amounts come worded already, from the app
that raised the alert (its context processor), so every page and document words them alike."""

import datetime as dt

from django import template
from django.utils import formats
from django.utils.translation import pgettext

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
