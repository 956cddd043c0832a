"""Tasks only the test worker loads (``celery worker --include``), to prove it shares the test database."""

from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.cache import cache

USERNAMES_TASK = "concord.tests.report_usernames"


@shared_task(name=USERNAMES_TASK)
def report_usernames(cache_key: str) -> None:
    """Write the usernames the worker can see to the shared cache, where the test reads them."""
    usernames = sorted(get_user_model().objects.values_list("username", flat=True))
    cache.set(cache_key, {"usernames": usernames}, timeout=300)
