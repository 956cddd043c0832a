"""When a year's holiday schedule changes, the open deadlines counted on it are counted again.

The calendar sits in the lowest room: it knows neither the contracts nor the negotiations
whose deadlines it serves. The rooms that store a computed due date hand their recompute
down instead: each registers a function at start-up (``BargainingConfig.ready``,
``ContractsConfig.ready``), and a change of the calendar calls them all once the change is
committed, with the years that changed.

A recompute is safe to run twice: it stores a date anew only where it differs, and its
alert of the change carries a key naming the object and both dates, so nobody is told twice.
"""

import logging
import threading
from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from contracts.rules.calendar.models import HolidayDay, HolidayYear
from contracts.rules.calendar.store import calendar_cache_clear

logger = logging.getLogger(__name__)

# years -> how many stored deadlines moved
Recompute = Callable[[frozenset[int]], int]

_recomputes: dict[str, Recompute] = {}
_pending = threading.local()


def calendar_recompute_register(name: str, recompute: Recompute) -> None:
    """``recompute(years)`` counts again the open deadlines that rely on any of ``years``."""
    _recomputes[name] = recompute


def calendar_recompute_run(*, years: Iterable[int]) -> dict[str, int]:
    """Call every registered recompute now; returns how many deadlines each one moved.
    One that fails is logged and does not keep the others from running."""
    changed_years = frozenset(years)
    if not changed_years:
        return {}
    calendar_cache_clear()  # read the schedule as committed, not this process's older copy
    moved = {}
    for name, recompute in list(_recomputes.items()):
        try:
            moved[name] = recompute(changed_years)
        except Exception:
            logger.exception("recomputing the deadlines of %s after a calendar change failed", name)
    return moved


def _flush() -> None:
    years: set[int] = getattr(_pending, "years", set())
    _pending.years = set()
    calendar_recompute_run(years=years)


def calendar_recompute_soon(*, years: Iterable[int]) -> None:
    """Recompute after the current transaction commits (at once outside one). Several changes
    in one transaction are counted again together, once."""
    pending = getattr(_pending, "years", None)
    if pending is None:
        pending = _pending.years = set()
    pending.update(years)
    transaction.on_commit(_flush)


def _year_of(instance: HolidayYear | HolidayDay) -> int:
    if isinstance(instance, HolidayYear):
        return instance.year
    return instance.date.year


def calendar_edited(sender, instance, **kwargs) -> None:
    """A ``post_save``/``post_delete`` receiver for the schedule's models: an administrator's
    edit in the admin counts the year's open deadlines again, like a loaded notice."""
    if kwargs.get("raw"):
        return  # loading fixtures
    calendar_recompute_soon(years=[_year_of(instance)])


def calendar_edits_connect() -> None:
    """Connect ``calendar_edited`` to the schedule's models (``ContractsConfig.ready``)."""
    for model in (HolidayYear, HolidayDay):
        post_save.connect(calendar_edited, sender=model, dispatch_uid=f"calendar_edited_save_{model.__name__}")
        post_delete.connect(calendar_edited, sender=model, dispatch_uid=f"calendar_edited_delete_{model.__name__}")
