"""Alerts and digests as people read them: subject, plain text and HTML, rendered from
``templates/notifications/<template>/`` in the reader's language.

An alert's context holds JSON values fixed when it was raised. Words that depend on the
reader's language (a term's name, an article of law) are added at render time by
context processors that the domain apps register (``register_context_processor``):
this app never imports them."""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from notifications.models import Alert, Digest, Level

ContextProcessor = Callable[[dict[str, Any]], dict[str, Any]]

_processors: list[ContextProcessor] = []

# The digest's sections, in the order it reads: what went wrong first.
LEVEL_ORDER = {Level.BREACH: 0, Level.OVERDUE: 1, Level.WARNING: 2, Level.INFO: 3}


def register_context_processor(processor: ContextProcessor) -> None:
    """``processor(context) -> extra`` adds reader-language values to every alert's facts."""
    if processor not in _processors:
        _processors.append(processor)


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def absolute_url(link: str) -> str:
    if not link or re.match(r"^[a-z][a-z0-9+.-]*://", link):
        return link
    return settings.NOTIFICATIONS_SITE_URL.rstrip("/") + "/" + link.lstrip("/")


def alert_facts(alert: Alert) -> dict[str, Any]:
    """The alert's context with the registered processors' additions, in the active language."""
    facts = dict(alert.context)
    for processor in _processors:
        facts.update(processor(alert.context) or {})
    return facts


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _base_context(language: str, recipient=None) -> dict[str, Any]:
    """What every e-mail's footer links to: the reader's alerts and their notification preferences."""
    return {
        "language": language,
        "site_url": settings.NOTIFICATIONS_SITE_URL.rstrip("/"),
        "alerts_url": absolute_url(reverse("notifications:alerts")),
        "preferences_url": absolute_url(reverse("notifications:preferences")),
        "recipient_name": (recipient.get_full_name() or recipient.get_username()) if recipient else "",
    }


def alert_subject(alert: Alert, facts: dict[str, Any] | None = None) -> str:
    """The alert's one-line subject in the active language (the API shows it in the app)."""
    context = {"facts": alert_facts(alert) if facts is None else facts, "alert": alert}
    return _one_line(render_to_string(f"notifications/{alert.template}/subject.txt", context))


def _render(template_dir: str, context: dict[str, Any]) -> Rendered:
    subject = _one_line(render_to_string(f"{template_dir}/subject.txt", context))
    context = {**context, "subject": subject}
    text = render_to_string(f"{template_dir}/body.txt", context)
    return Rendered(
        subject=subject,
        text=re.sub(r"\n{3,}", "\n\n", text).strip() + "\n",
        html=render_to_string(f"{template_dir}/body.html", context),
    )


def render_alert(alert: Alert, *, language: str) -> Rendered:
    """One alert's e-mail in ``language``."""
    with translation.override(language):
        context = {
            **_base_context(language, alert.recipient),
            "alert": alert,
            "facts": alert_facts(alert),
            "link_url": absolute_url(alert.link),
        }
        return _render(f"notifications/{alert.template}", context)


def alert_item(alert: Alert) -> dict[str, Any]:
    """An alert as a page lists it, in the active language: its facts (with the registered
    processors' words) and the subject its e-mail carries."""
    facts = alert_facts(alert)
    return {"alert": alert, "facts": facts, "subject": alert_subject(alert, facts)}


def _item(alert: Alert) -> dict[str, Any]:
    return {**alert_item(alert), "link_url": absolute_url(alert.link)}


def _breach_rank(item: dict[str, Any]) -> tuple:
    """Worst shortfall first, then the larger total, then the older."""
    facts = item["facts"]
    return (-int(facts.get("worst_shortfall") or 0), -int(facts.get("total_shortfall") or 0), item["alert"].pk)


def _due_rank(item: dict[str, Any]) -> tuple:
    return (str(item["facts"].get("due") or "9999"), item["alert"].pk)


def digest_sections(alerts: Iterable[Alert]) -> dict[str, list[dict[str, Any]]]:
    """The digest's alerts in the order it reads them: breaches (worst first), overdue
    deadlines, deadlines coming up (soonest first), anything else."""
    sections: dict[str, list[dict[str, Any]]] = {"breaches": [], "overdue": [], "soon": [], "other": []}
    for item in map(_item, alerts):
        alert = item["alert"]
        if alert.level == Level.BREACH:
            sections["breaches"].append(item)
        elif alert.level == Level.OVERDUE:
            sections["overdue"].append(item)
        elif alert.template == "deadline_soon":
            sections["soon"].append(item)
        else:
            sections["other"].append(item)
    sections["breaches"].sort(key=_breach_rank)
    sections["overdue"].sort(key=_due_rank)
    sections["soon"].sort(key=_due_rank)
    sections["other"].sort(key=lambda i: (LEVEL_ORDER.get(i["alert"].level, 9), i["alert"].pk))
    return sections


def render_digest(digest: Digest, alerts: Iterable[Alert], *, language: str) -> Rendered:
    """A daily digest's e-mail in ``language``: it leads with the worst breach."""
    with translation.override(language):
        sections = digest_sections(alerts)
        context = {
            **_base_context(language, digest.recipient),
            "digest": digest,
            **sections,
            "worst": sections["breaches"][0] if sections["breaches"] else None,
            "deadline_count": len(sections["overdue"]) + len(sections["soon"]),
            "reminder_days": settings.NOTIFICATIONS_REMINDER_DAYS,
        }
        return _render("notifications/digest", context)
