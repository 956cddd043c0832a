"""The ranges every date and number must fall in before it reaches a calculation.

One bad value used to break things for everyone: a representative vacated ``on``
9999-12-31 was saved, then adding the 30 days of R2 to it raised ``OverflowError`` on
that negotiation's pages and in the hourly deadline task, for every enterprise. So the
edges (API serializers and page forms) refuse anything outside these ranges with a 400
naming the field, and nothing out of range is ever stored.

Why these bounds:
- Dates 2000-01-01 .. 2100-12-31: the Labour Contract Law (2008) and the Provisions on
  Collective Contracts (2004) are this century's; contracts run a few years; deadlines
  add at most a few hundred days. A century of margin each way leaves ``date + timedelta``
  and every calendar sum far from ``date.max`` (9999-12-31).
- Counts (delegates, votes, headcounts) up to 1,000,000: the largest Chinese employers
  have a few hundred thousand workers.
- Ids up to 2**63 - 1, the largest a BigAutoField holds (a larger one would overflow
  the database driver, not just miss). Version numbers are bounded by the versions
  service itself (``contracts.services.versions.VERSION_MAX``: "no version N").
- Money up to 12 digits with 2 decimals (under 10 billion yuan): wages, minimum wages and
  costings; the models' DecimalFields are narrower still.
- Numbers inside a term's parameters (JSON: a wage, a percentage, days) between
  -10**12 and 10**12 with at most 30 significant digits: each term kind then checks its
  own range, but its parser turned "1e999999999" into ``decimal.Overflow`` (a 500) and
  "1e5000" into a 5,001-digit figure stored and priced.
- JSON nested at most 64 deep: our richest body (a clause's terms, a seniority table)
  is 5 deep; the stdlib parser raises ``RecursionError`` near 1,000.
- Uploaded file names at most 255 bytes (UTF-8) once stored: 255 bytes is the longest
  name a file system entry may have (a longer one was a 500, ENAMETOOLONG), and it fits
  the 255 characters of ``PayrollImport.original_name``; HR systems export names of 90
  Chinese characters (270 bytes would not fit, 250 do).
"""

import datetime as dt
import os
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

DATE_MIN = dt.date(2000, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)
COUNT_MAX = 1_000_000
ID_MAX = 2**63 - 1
MONEY_MAX_DIGITS = 12
MONEY_DECIMAL_PLACES = 2
PARAM_NUMBER_MAX = 10**12
PARAM_DIGITS_MAX = 30
JSON_MAX_DEPTH = 64
FILE_NAME_MAX_BYTES = 255
FILE_EXTENSION_MAX_BYTES = 16

DATE_MESSAGE = _("Give a date between %(min)s and %(max)s.")
FIELD_DATE_MESSAGE = _("%(field)s: give a date between %(min)s and %(max)s.")
PARAM_NUMBER_MESSAGE = _("%(field)s: a number between -%(max)s and %(max)s, please.")
FIELD_NUMBER_MESSAGE = _("%(field)s: give a whole number between %(min)s and %(max)s.")
RANGE = {"min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()}


def date_in_range(value: dt.date | dt.datetime) -> None:
    """Django validator (forms, models): the date (or the day of a datetime) lies in DATE_MIN..DATE_MAX."""
    day = value.date() if isinstance(value, dt.datetime) else value
    if not DATE_MIN <= day <= DATE_MAX:
        raise ValidationError(DATE_MESSAGE, code="out_of_range", params=RANGE)


def _field_date_error(field: str | None) -> serializers.ValidationError:
    return serializers.ValidationError(FIELD_DATE_MESSAGE % {"field": field, **RANGE}, code="out_of_range")


# --- API (DRF) -----------------------------------------------------------------------


class DateField(serializers.DateField):
    """A DRF date field that refuses dates outside DATE_MIN..DATE_MAX with a 400 naming the field."""

    def to_internal_value(self, value: Any) -> dt.date:
        day = super().to_internal_value(value)
        if not DATE_MIN <= day <= DATE_MAX:
            raise _field_date_error(self.field_name)
        return day


class DateTimeField(serializers.DateTimeField):
    """A DRF date-time field whose day must lie in DATE_MIN..DATE_MAX."""

    def to_internal_value(self, value: Any) -> dt.datetime:
        moment = super().to_internal_value(value)
        if not DATE_MIN <= moment.date() <= DATE_MAX:
            raise _field_date_error(self.field_name)
        return moment


def count_field(**kwargs: Any) -> serializers.IntegerField:
    """A DRF integer of people or votes: 0..COUNT_MAX unless told otherwise."""
    kwargs.setdefault("min_value", 0)
    kwargs.setdefault("max_value", COUNT_MAX)
    return serializers.IntegerField(**kwargs)


def _number(value: Any) -> Decimal | None:
    """The number a JSON leaf is or spells (as the term kinds read it: "3,000" is 3000), else None."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _number_ok(number: Decimal) -> bool:
    if number.is_zero():
        return True
    _sign, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)  # finite
    # adjusted() is the power of ten of the first digit: cheap even for 1e999999999
    return number.adjusted() < 12 and len(digits) + max(0, -exponent - len(digits)) <= PARAM_DIGITS_MAX


def json_numbers_check(value: Any, field: str) -> None:
    """Refuse (400 naming the place, e.g. ``params.amount``) a number in a JSON value that no
    term could mean: over PARAM_NUMBER_MAX, or more than PARAM_DIGITS_MAX digits."""
    if isinstance(value, dict):
        for key, item in value.items():
            json_numbers_check(item, f"{field}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            json_numbers_check(item, f"{field}[{index}]")
    elif (number := _number(value)) is not None and not _number_ok(number):
        raise serializers.ValidationError(PARAM_NUMBER_MESSAGE % {"field": field, "max": f"{PARAM_NUMBER_MAX:,}"})


class BoundedJSONField(serializers.JSONField):
    """A DRF JSON field whose numbers (and numeric strings) are bounded: see json_numbers_check."""

    def to_internal_value(self, data: Any) -> Any:
        value = super().to_internal_value(data)
        json_numbers_check(value, self.field_name or "value")
        return value


def money_field(**kwargs: Any) -> serializers.DecimalField:
    kwargs.setdefault("max_digits", MONEY_MAX_DIGITS)
    kwargs.setdefault("decimal_places", MONEY_DECIMAL_PLACES)
    kwargs.setdefault("min_value", 0)
    return serializers.DecimalField(**kwargs)


def query_int(params: Any, name: str, *, min_value: int, max_value: int, message: Any) -> int:
    """A whole-number query parameter in min_value..max_value, or a 400 naming it."""
    try:
        number = int(params[name])
    except (KeyError, ValueError, TypeError):
        raise serializers.ValidationError({name: [message]}) from None
    if not min_value <= number <= max_value:
        raise serializers.ValidationError(
            {name: [FIELD_NUMBER_MESSAGE % {"field": name, "min": min_value, "max": max_value}]}
        )
    return number


# --- Page forms ----------------------------------------------------------------------


class FormDateField(forms.DateField):
    """A form date field limited to DATE_MIN..DATE_MAX (also told to the browser's date picker)."""

    default_validators = [date_in_range]

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.DateInput):
            attrs.update({"min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()})
        return attrs


class FormDateTimeField(forms.DateTimeField):
    default_validators = [date_in_range]

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.DateTimeInput):
            attrs.update({"min": f"{DATE_MIN.isoformat()}T00:00", "max": f"{DATE_MAX.isoformat()}T23:59"})
        return attrs


# --- Uploaded file names -------------------------------------------------------------


def file_name_shortened(name: str, *, max_bytes: int = FILE_NAME_MAX_BYTES) -> str:
    """The base name of an uploaded file, cut to at most max_bytes of UTF-8 without splitting
    a character, keeping its extension (when the extension itself is short)."""
    name = os.path.basename(name.replace("\\", "/")) or "upload"
    if len(name.encode()) <= max_bytes:
        return name
    root, extension = os.path.splitext(name)
    if len(extension.encode()) > FILE_EXTENSION_MAX_BYTES:
        root, extension = name, ""
    room = max_bytes - len(extension.encode())
    return root.encode()[:room].decode(errors="ignore") + extension
