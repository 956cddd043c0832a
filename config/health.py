"""Is the service alive: database reachable, and when the Celery worker last ran
the heartbeat that beat schedules every minute."""

import datetime as dt

from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

HEARTBEAT_KEY = "concord:worker-heartbeat"
STALE_AFTER = dt.timedelta(minutes=3)


def heartbeat_record() -> None:
    cache.set(HEARTBEAT_KEY, timezone.now().isoformat(), timeout=None)


def heartbeat_last() -> dt.datetime | None:
    value = cache.get(HEARTBEAT_KEY)
    return dt.datetime.fromisoformat(value) if value else None


class HealthView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        responses=inline_serializer(
            "Health",
            {
                "database": serializers.BooleanField(),
                "worker_heartbeat": serializers.DateTimeField(allow_null=True),
                "worker_alive": serializers.BooleanField(),
            },
        )
    )
    def get(self, request):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        last = heartbeat_last()
        return Response(
            {
                "database": True,
                "worker_heartbeat": last,
                "worker_alive": bool(last and timezone.now() - last < STALE_AFTER),
            }
        )
