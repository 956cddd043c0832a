import logging
from collections.abc import Callable, Iterable
from typing import TypeVar

from celery import shared_task

from config.health import heartbeat_record

logger = logging.getLogger("concord.tasks")

Key = TypeVar("Key")


@shared_task(name="concord.heartbeat")
def heartbeat() -> None:
    """Beat runs this every minute; the health endpoint shows when a worker last did."""
    heartbeat_record()


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
