"""How each person wants to be told: at once or in a daily digest, in which language,
and which levels they do not want by e-mail (never breaches or overdue deadlines)."""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from config.errors import InvalidInput
from notifications.models import MANDATORY_LEVELS, Level, Mailing, Mode, Preference


def preference_default(*, user_id: int) -> Preference:
    """What a person without a saved preference gets: every alert at once, in Chinese."""
    return Preference(user_id=user_id, mode=Mode.IMMEDIATE, language=settings.LANGUAGE_CODE, opted_out_levels=[])


def preference_get(*, user) -> Preference:
    """The user's preference, or the default (unsaved) when they never set one."""
    return Preference.objects.filter(user=user).first() or preference_default(user_id=user.pk)


def preferences_for(*, user_ids: Iterable[int]) -> dict[int, Preference]:
    """Each user's preference (default where none is saved), in one query."""
    user_ids = list(user_ids)
    saved = {p.user_id: p for p in Preference.objects.filter(user_id__in=user_ids)}
    return {user_id: saved.get(user_id) or preference_default(user_id=user_id) for user_id in user_ids}


def mailing_for(*, preference: Preference, level: str) -> str:
    """How an alert of ``level`` is e-mailed to someone with ``preference``."""
    if level not in MANDATORY_LEVELS and level in preference.opted_out_levels:
        return Mailing.OFF
    return Mailing.DIGEST if preference.mode == Mode.DAILY_DIGEST else Mailing.IMMEDIATE


@transaction.atomic
def preference_update(*, user, **fields: Any) -> Preference:
    """Change the user's mode, language or opted-out levels; breaches and overdue
    deadlines cannot be opted out of."""
    preference, _created = Preference.objects.select_for_update().get_or_create(
        user=user, defaults={"language": settings.LANGUAGE_CODE}
    )
    if "opted_out_levels" in fields:
        levels = list(dict.fromkeys(fields["opted_out_levels"]))
        mandatory = sorted(set(levels) & MANDATORY_LEVELS)
        if mandatory:
            raise InvalidInput(
                _("Breaches and overdue deadlines are always e-mailed; they cannot be turned off."),
                code="level_not_optional",
                extra={"levels": mandatory},
            )
        unknown = sorted(set(levels) - set(Level.values))
        if unknown:
            raise InvalidInput(_("Unknown alert level."), code="unknown_level", extra={"levels": unknown})
        fields["opted_out_levels"] = levels
    for key in ("mode", "language", "opted_out_levels"):
        if key in fields:
            setattr(preference, key, fields[key])
    preference.full_clean()
    preference.save()
    return preference
