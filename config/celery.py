"""The Celery application.

Every process that enqueues tasks imports this module (through ``config/__init__``),
so tasks never fall back to Celery's default ``amqp://localhost`` broker.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("concord")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["config", "contracts.compliance"])
