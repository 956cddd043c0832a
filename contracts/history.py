"""The change history of domain objects (who changed what, when), read from
django-simple-history's records."""

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

CHANGE_TYPES = {"+": "created", "~": "changed", "-": "deleted"}


def _entries(queryset: QuerySet) -> list[dict[str, Any]]:
    """One query per table: each record is compared with the previous one of the same object in memory."""
    model = queryset.model.instance_type._meta.model_name
    fields = [field.attname for field in queryset.model.instance_type._meta.concrete_fields]
    previous: dict[Any, Any] = {}
    entries = []
    for record in queryset.select_related("history_user").order_by("history_date", "history_id"):
        before = previous.get(record.id)
        changed = []
        if record.history_type == "~" and before is not None:
            changed = sorted(
                name.removesuffix("_id") for name in fields if getattr(record, name) != getattr(before, name)
            )
        previous[record.id] = record
        entries.append(
            {
                "at": record.history_date,
                "model": model,
                "object_id": record.id,
                "object": str(record.instance),
                "change": CHANGE_TYPES[record.history_type],
                "fields": changed,
                "by": record.history_user.get_username() if record.history_user else None,
            }
        )
    return entries


def history_entries(sources: Iterable[QuerySet], *, limit: int = 500) -> list[dict[str, Any]]:
    """The newest ``limit`` changes across several history tables, newest first."""
    entries = [entry for queryset in sources for entry in _entries(queryset)]
    entries.sort(key=lambda entry: entry["at"], reverse=True)
    return entries[:limit]
