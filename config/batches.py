"""Work over many objects that one bad object never stops: what scheduled jobs loop with."""

import logging
from collections.abc import Callable, Iterable
from typing import TypeVar

logger = logging.getLogger("concord.tasks")

Key = TypeVar("Key")


def each_object(keys: Iterable[Key], work: Callable[[Key], object], *, task: str, what: str) -> list[Key]:
    """Run ``work(key)`` for every key; one that raises is logged with its key and skipped, and
    the loop goes on, so one bad object (a date stored out of range, say) never stops a
    scheduled task for everyone else. ``work`` should hold its own transaction, so a failure
    rolls back that object only. Returns the keys that failed."""
    failed: list[Key] = []
    for key in keys:
        try:
            work(key)
        except Exception:
            logger.exception("%s: %s %s failed and was skipped", task, what, key)
            failed.append(key)
    return failed
