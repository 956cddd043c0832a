"""Work that must not be lost is a database row first, and a worker holds it under a lease.

A task claims its row in one UPDATE (waiting, or held under a lease that ran out), renews the
lease while it works, and lets go when it records the outcome. A worker killed mid-task
(SIGKILL, a lost machine) leaves a lease that runs out; a message the broker lost leaves a row
waiting. The sweep queues both again; the claim decides who works, so a message too many costs
one UPDATE that changes nothing.

The models that use this have ``status``, ``lease_until`` and ``queued_at`` fields; their
services say which statuses mean waiting and working (the same one where the model has no
status of its own for work in progress: a document stays pending while it is rendered).
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


def lease_end(now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) + dt.timedelta(seconds=settings.WORK_LEASE_SECONDS)


@dataclass(frozen=True)
class LeasedWork:
    """One kind of leased work: its model and what its statuses mean."""

    model: type[models.Model]
    waiting: str
    working: str
    # Statuses a task may also take up when it runs, though the sweep never queues them
    # (a failed compliance run's queued task tries it once more).
    also_claims: tuple[str, ...] = ()

    def _unheld(self, now: dt.datetime) -> Q:
        """Rows to be worked on that no live worker holds: no lease, or one that ran out."""
        statuses = {self.waiting, self.working, *self.also_claims}
        return Q(status__in=statuses) & (Q(lease_until__isnull=True) | Q(lease_until__lt=now))

    def claim(self, pk: int, **fields) -> bool:
        """Take the row for this worker; False when it is done or another worker holds it."""
        now = timezone.now()
        updated = self.model._default_manager.filter(self._unheld(now), pk=pk).update(
            status=self.working, lease_until=lease_end(now), **fields
        )
        return bool(updated)

    def renew(self, pk: int, **fields) -> None:
        """Still working: push the lease on (with ``fields``, e.g. progress)."""
        self.model._default_manager.filter(pk=pk, status=self.working).update(lease_until=lease_end(), **fields)

    def _due(self, now: dt.datetime) -> Q:
        """Unheld rows whose message is taken for lost: queued ``WORK_REQUEUE_AFTER_SECONDS`` ago or
        more (lost, or waiting behind a long queue: one copy more costs little), or held under a
        lease that ran out (the worker died)."""
        stale = now - dt.timedelta(seconds=settings.WORK_REQUEUE_AFTER_SECONDS)
        extra = set(self.also_claims) - {self.waiting, self.working}  # never queued by the sweep
        return (self._unheld(now) & (Q(queued_at__lt=stale) | Q(lease_until__isnull=False))) & ~Q(status__in=extra)

    def lost(self, now: dt.datetime | None = None) -> list[int]:
        """The rows to queue again, each marked queued now."""
        now = now or timezone.now()
        manager = self.model._default_manager
        ids = list(manager.filter(self._due(now)).order_by("pk").values_list("pk", flat=True))
        manager.filter(pk__in=ids).update(queued_at=now)
        return ids

    def requeue_if_lost(self, pk: int) -> bool:
        """Asked for again: True (and marked queued now) when the row's message is taken for lost,
        so the caller queues it once more; a row stuck behind a lost message or a dead worker moves."""
        now = timezone.now()
        return bool(self.model._default_manager.filter(self._due(now), pk=pk).update(queued_at=now))
