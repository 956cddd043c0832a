"""Celery beat (Asia/Shanghai): the digest at 08:00, the deadline sweeps hourly, the outbox
sweep every minute; and notifications imports no domain model."""

import ast
from pathlib import Path

import pytest
from celery.schedules import crontab
from django.conf import settings

from config.celery import app as celery_app

SCHEDULE = settings.CELERY_BEAT_SCHEDULE


def test_beat_runs_in_shanghai_time():
    assert celery_app.conf.timezone == "Asia/Shanghai"


def test_the_digest_goes_out_every_day_at_eight():
    entry = SCHEDULE["notifications-digest"]

    assert entry["task"] == "notifications.send_digests"
    assert isinstance(entry["schedule"], crontab)
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({8}, {0})
    assert entry["schedule"].day_of_week == set(range(7))


@pytest.mark.parametrize("name", ["contracts-deadline-alerts", "bargaining-deadline-alerts"])
def test_deadline_sweeps_run_every_hour(name):
    schedule = SCHEDULE[name]["schedule"]

    assert (schedule.hour, schedule.minute) == (set(range(24)), {0})


def test_the_outbox_sweep_runs_every_minute():
    assert SCHEDULE["notifications-sweep"] == {"task": "notifications.sweep", "schedule": 60.0}


def test_every_scheduled_task_exists():
    celery_app.loader.import_default_modules()

    assert {entry["task"] for entry in SCHEDULE.values()} <= set(celery_app.tasks)


def test_notifications_imports_no_domain_app():
    root = Path(settings.BASE_DIR) / "notifications"
    imported = set()
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add((path.name, node.module.split(".")[0]))
            elif isinstance(node, ast.Import):
                imported.update((path.name, alias.name.split(".")[0]) for alias in node.names)

    assert {(file, module) for file, module in imported if module in ("contracts", "bargaining")} == set()
