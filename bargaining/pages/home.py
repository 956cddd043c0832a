"""Home: what needs attention in each enterprise the user belongs to. A congress delegate first
sees the sessions open for their vote; then one card per enterprise with its negotiations and
their next deadline, its contracts and their term, its open breaches totalled per unit, and the
user's unread alerts about it.

Every read goes through the selectors that apply the user's visibility, and the page costs the
same few queries however many enterprises the user holds a role in."""

import datetime as dt
from collections import defaultdict
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, F, OuterRef, Sum, Window
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import RowNumber
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bargaining.models import Negotiation, NegotiationStatus
from bargaining.selectors import negotiation_list
from bargaining.services.negotiations import negotiation_reply_overdue, reply_rule_describe
from contracts.compliance.models import BreachStatus
from contracts.compliance.selectors import breach_list
from contracts.enterprises.access import enterprise_list
from contracts.enterprises.models import Enterprise, Membership, Role
from contracts.models import BallotReceipt, CongressMode, Contract, ContractStatus
from contracts.rules.units import quantity_text
from contracts.selectors import contract_list
from contracts.services.congress import congress_session_list
from contracts.services.lifecycle import contract_deadlines
from notifications.rendering import alert_subject
from notifications.selectors import alert_list

# Talks that are over are followed through their contract, not here.
NEGOTIATIONS_OVER = (NegotiationStatus.CONCLUDED, NegotiationStatus.DECLINED)
BREACHES_SETTLED = (BreachStatus.REMEDIED, BreachStatus.CLOSED)
LATEST_ALERTS = 3


def _congress_votes(user, roles: dict[int, set[str]]) -> list[dict[str, Any]]:
    """The secret-ballot sessions open in the enterprises where ``user`` is a delegate, and whether
    they have voted in each: that a receipt exists, never what they chose."""
    delegate_of = [pk for pk, held in roles.items() if Role.CONGRESS_DELEGATE in held]
    if not delegate_of:
        return []
    sessions = (
        congress_session_list(user=user)
        .filter(contract__enterprise__in=delegate_of, closed_at__isnull=True, mode=CongressMode.BALLOT)
        .select_related("contract__enterprise")
        .annotate(voted=Exists(BallotReceipt.objects.filter(session=OuterRef("pk"), delegate=user)))
        .order_by("held_on", "pk")
    )
    return [
        {"session": session, "voted": session.voted, "url": reverse("contracts:congress_session", args=[session.pk])}
        for session in sessions
    ]


def _roles(user, enterprises: list[Enterprise]) -> dict[int, set[str]]:
    """The roles ``user`` holds in each enterprise, a federation officer's through its federation
    (as ``enterprise_roles`` reads them, for all enterprises in one query)."""
    direct: dict[int, set[str]] = defaultdict(set)
    officer_of: set[int] = set()
    for membership in Membership.objects.filter(user=user).only("enterprise_id", "federation_id", "role"):
        if membership.role == Role.FEDERATION_OFFICER:
            officer_of.add(membership.federation_id)
        else:
            direct[membership.enterprise_id].add(membership.role)
    return {
        enterprise.pk: direct[enterprise.pk]
        | ({Role.FEDERATION_OFFICER} if enterprise.federation_id in officer_of else set())
        for enterprise in enterprises
    }


def _negotiation_next(negotiation: Negotiation, today: dt.date) -> dict[str, Any] | None:
    """What the talks wait for next: the written answer to the request (R1), or the next meeting
    agreed when they were suspended (R5)."""
    if negotiation.status == NegotiationStatus.REQUESTED and negotiation.reply_due:
        return {
            "label": _("Answer due"),
            "date": negotiation.reply_due,
            "overdue": negotiation_reply_overdue(negotiation, today),
            "rule": reply_rule_describe(negotiation.reply_rule),
        }
    if negotiation.status == NegotiationStatus.SUSPENDED and negotiation.next_meeting_at:
        return {
            "label": _("Next meeting"),
            "when": negotiation.next_meeting_at,
            "place": negotiation.next_meeting_location,
            "overdue": False,
            "rule": None,
        }
    return None


def _contract_next(contract: Contract, today: dt.date) -> dict[str, Any] | None:
    """The contract's next date: filing (R8), the end of the review (R9), or the renewal window (R10)."""
    deadlines = contract_deadlines(contract, today)
    if contract.status == ContractStatus.SIGNED and deadlines["filing_due"]:
        return {
            "label": _("File with the labour administration by"),
            "date": deadlines["filing_due"],
            "overdue": deadlines["filing_overdue"],
            "rule": deadlines["filing_rule"],
        }
    if contract.status == ContractStatus.FILED and contract.review_deadline:
        return {
            "label": _("Review period ends"),
            "date": contract.review_deadline,
            "overdue": False,
            "rule": deadlines["review_rule"],
        }
    if contract.status in (ContractStatus.EFFECTIVE, ContractStatus.EXPIRED):
        renewal = deadlines["renewal"]
        return {
            "label": _("Renewal window open since") if renewal["open"] else _("Renewal window opens on"),
            "date": renewal["opens_on"],
            "overdue": False,
            "rule": renewal["rule"],
        }
    return None


def _breach_totals(user, enterprise_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Per enterprise, the open breaches (neither remedied nor closed), and their total shortfall
    per unit, each worded in its unit: yuan are never added to hours or days."""
    rows = (
        breach_list(user=user)
        .filter(enterprise__in=enterprise_ids)
        .exclude(status__in=BREACHES_SETTLED)
        .order_by()
        .values("enterprise_id", "unit")
        .annotate(count=Count("id"), total=Sum("total_shortfall"))
        .order_by("enterprise_id", "unit")
    )
    totals: dict[int, dict[str, Any]] = defaultdict(lambda: {"count": 0, "units": []})
    for row in rows:
        entry = totals[row["enterprise_id"]]
        entry["count"] += row["count"]
        entry["units"].append({"count": row["count"], "text": quantity_text(row["total"], row["unit"])})
    return totals


def _alerts(user, names: set[str]) -> tuple[int, dict[str, dict[str, Any]]]:
    """The user's unread alerts: how many in all, and per enterprise (an alert names its enterprise
    in its facts) how many with the subjects of the latest few."""
    unread = alert_list(user=user, read=False).annotate(enterprise_name=KeyTextTransform("enterprise", "context"))
    counts = dict(
        unread.order_by().values("enterprise_name").annotate(n=Count("id")).values_list("enterprise_name", "n")
    )
    latest = (
        unread.filter(context__enterprise__in=sorted(names))
        .annotate(
            rank=Window(
                RowNumber(), partition_by=[F("enterprise_name")], order_by=[F("created_at").desc(), F("id").desc()]
            )
        )
        .filter(rank__lte=LATEST_ALERTS)
        .order_by("-created_at", "-id")
    )
    by_enterprise: dict[str, dict[str, Any]] = {name: {"count": counts.get(name, 0), "subjects": []} for name in names}
    for alert in latest:
        by_enterprise[alert.enterprise_name]["subjects"].append(alert_subject(alert))
    return sum(counts.values()), by_enterprise


@login_required
def home(request):
    user = request.user
    today = timezone.localdate()
    enterprises = list(enterprise_list(user=user).order_by("name", "pk"))
    ids = [enterprise.pk for enterprise in enterprises]
    roles = _roles(user, enterprises)

    negotiations: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for negotiation in (
        negotiation_list(user=user)
        .filter(enterprise__in=ids)
        .exclude(status__in=NEGOTIATIONS_OVER)
        .order_by("-created_at", "-pk")
    ):
        negotiations[negotiation.enterprise_id].append(
            {"negotiation": negotiation, "next": _negotiation_next(negotiation, today)}
        )
    contracts: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for contract in contract_list(user=user).filter(enterprise__in=ids).exclude(status=ContractStatus.EXPIRED):
        contracts[contract.enterprise_id].append({"contract": contract, "next": _contract_next(contract, today)})
    breaches = _breach_totals(user, ids)
    unread_total, alerts = _alerts(user, {enterprise.name for enterprise in enterprises})

    cards = [
        {
            "enterprise": enterprise,
            "roles": sorted(str(Role(role).label) for role in roles[enterprise.pk]),
            "negotiations": negotiations[enterprise.pk],
            "contracts": contracts[enterprise.pk],
            "breaches": breaches.get(enterprise.pk),
            "alerts": alerts[enterprise.name],
        }
        for enterprise in enterprises
    ]
    return render(
        request,
        "bargaining/home.html",
        {
            "congress": _congress_votes(user, roles),
            "cards": cards,
            "unread_total": unread_total,
            "alerts_url": reverse("notifications:alerts"),
        },
    )


urlpatterns = [
    path("", home, name="home"),
]
