"""The change history of domain objects (who changed what, when), read from
django-simple-history's records."""

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

CHANGE_TYPES = {"+": "created", "~": "changed", "-": "deleted"}


def _changed_fields(record: Any) -> list[str]:
    previous = record.prev_record
    if record.history_type != "~" or previous is None:
        return []
    return sorted(change.field for change in record.diff_against(previous).changes)


def history_entries(sources: Iterable[QuerySet], *, limit: int = 500) -> list[dict[str, Any]]:
    """The newest ``limit`` changes across several history tables, newest first."""
    records = []
    for queryset in sources:
        records.extend(queryset.select_related("history_user").order_by("-history_date")[:limit])
    records.sort(key=lambda record: record.history_date, reverse=True)
    return [
        {
            "at": record.history_date,
            "model": record.instance_type._meta.model_name,
            "object_id": record.id,
            "object": str(record.instance),
            "change": CHANGE_TYPES[record.history_type],
            "fields": _changed_fields(record),
            "by": record.history_user.get_username() if record.history_user else None,
        }
        for record in records[:limit]
    ]
