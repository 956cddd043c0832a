"""Work queued by name: services record what must happen and enqueue the task that does it
by its name, once their transaction commits, so no service imports a task and no task module
is imported back by what it calls. Tasks import services; nothing imports tasks but Celery.

The task is looked up in the Celery app's registry (its modules are imported on first use),
so its own options apply and a test that replaces its ``delay`` replaces what runs here.
"""

from functools import partial
from typing import Any

from celery import Task
from django.db import transaction

from config.celery import app


def task_get(name: str) -> Task:
    """The registered task called ``name``; a name nobody registered is a programming error."""
    if name not in app.tasks:
        app.loader.import_default_modules()
    return app.tasks[name]


def enqueue(name: str, *args: Any) -> None:
    """Send the task ``name`` to the broker now."""
    task_get(name).delay(*args)


def enqueue_on_commit(name: str, *args: Any, robust: bool = False) -> None:
    """Send the task ``name`` once the current transaction commits (at once outside one).

    ``robust``: a broker that refuses the message is logged and does not fail the commit; use it
    where the database row is what counts and a sweep re-queues what was never sent."""
    publish = partial(task_get(name).delay, *args)
    publish.__qualname__ = f"{name}.delay"  # how Django's robust on_commit names it in the log
    transaction.on_commit(publish, robust=robust)
