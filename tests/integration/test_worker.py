"""A real Celery worker runs what the web process enqueues, on the same database and cache."""

import time
import uuid

import pytest
from django.core.cache import cache

from config.celery import app as celery_app
from config.health import HEARTBEAT_KEY
from config.tasks import heartbeat
from tests.factories import UserFactory
from tests.integration.worker_tasks import USERNAMES_TASK

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

WAIT = 60  # seconds: an upper bound for the worker to pick a task up, not a timing requirement


def wait_for(condition, *, worker, what: str):
    deadline = time.monotonic() + WAIT
    while True:
        result = condition()
        if result:
            return result
        worker.assert_running()
        if time.monotonic() > deadline:
            pytest.fail(f"{what} within {WAIT} s; the worker's log:\n{worker.log()}")
        time.sleep(0.25)


def test_health_shows_the_worker_alive_once_it_ran_the_heartbeat(celery_worker, client):
    cache.delete(HEARTBEAT_KEY)  # a heartbeat left by an earlier run must not count
    before = client.get("/api/v1/health/").json()
    assert before["worker_heartbeat"] is None
    assert before["worker_alive"] is False

    heartbeat.delay()

    health = wait_for(
        lambda: (body := client.get("/api/v1/health/").json())["worker_alive"] and body,
        worker=celery_worker,
        what="the health endpoint did not report the worker alive",
    )
    assert health["database"] is True
    assert health["worker_heartbeat"] is not None


def test_worker_sees_rows_the_test_committed(celery_worker):
    user = UserFactory(username=f"seen-by-worker-{uuid.uuid4().hex[:8]}")
    key = f"concord:test:usernames:{uuid.uuid4().hex}"

    celery_app.send_task(USERNAMES_TASK, args=[key])

    report = wait_for(lambda: cache.get(key), worker=celery_worker, what="the worker did not report")
    assert user.username in report["usernames"]
