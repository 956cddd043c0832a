"""The gap between the sides, topic by topic: each side's headline number round by round, for a
small chart (``static/concord.js`` draws it) and the same figures as a table, so the page reads
without script; topics without a number show their latest texts."""

from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from bargaining import selectors
from bargaining.models import Negotiation, Side
from bargaining.pages.rounds.shared import negotiation_or_404, position_wording, side_label, topic_label
from contracts.rules.terms import TERM_KINDS, term_headline
from contracts.rules.terms.base import number_text
from contracts.rules.terms.forms import UNITS

SIDE_COLORS = {Side.UNION: "#b91c1c", Side.EMPLOYER: "#1d4ed8"}
UNIT_ATTACHED = {"%", "×"}  # written against the number: 5%, 1.5×


def _chart_number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _figure(value: Decimal | None, unit: str) -> str:
    """A number as people read it in the active language, with its unit ("3,200 yuan", "1.5×")."""
    if value is None:
        return "—"
    return f"{number_text(value)}{unit}" if unit in UNIT_ATTACHED else f"{number_text(value)} {unit}".strip()


def _agreed_value(topic: dict[str, Any], agreed) -> tuple[bool, Decimal | None]:
    """Whether the topic is agreed (same latest positions, or concluded), and on which number."""
    kind = topic["term_kind"]
    if agreed is not None:
        return True, term_headline(kind=kind, params=agreed.params) if kind else None
    if topic["agreed"]:
        return True, topic["union"]["value"]
    return False, None


def _gap_topic(negotiation: Negotiation, index: int, topic: dict[str, Any], agreed) -> dict[str, Any]:
    kind_code = topic["term_kind"]
    kind = TERM_KINDS.get(kind_code)
    headline = kind.headline_param if kind else None
    unit = str(UNITS.get(headline.input, "")) if headline else ""
    rounds = sorted({entry["round_no"] for entry in topic["history"]})
    values: dict[str, dict[int, Decimal | None]] = {side: {} for side in Side}
    for entry in topic["history"]:  # by round, then as tabled: the last of a round stands
        values[entry["side"]][entry["round_no"]] = entry["value"]
    is_agreed, agreed_value = _agreed_value(topic, agreed)
    current = topic.get("current")
    chart = None
    if headline is not None and any(entry["value"] is not None for entry in topic["history"]):
        chart = {
            "rounds": [_("Round %(n)s") % {"n": n} for n in rounds],
            "unit": unit,
            "series": [
                {
                    "name": side_label(side),
                    "values": [_chart_number(values[side].get(n)) for n in rounds],
                    "color": SIDE_COLORS[side],
                }
                for side in Side
            ],
            "agreed": _chart_number(agreed_value),
            "agreed_label": _("Agreed: %(figure)s") % {"figure": _figure(agreed_value, unit)} if is_agreed else "",
            "baseline": _chart_number(current["value"]) if current else None,
            "baseline_label": _("Current contract") if current else "",
        }
    latest = [(side, topic[side.value]) for side in Side if topic[side.value] is not None]
    return {
        "label": topic_label(topic["clause_category"], kind_code),
        "chart_id": f"gap-{negotiation.pk}-{index}",
        "chart": chart,
        "agreed": is_agreed,
        "agreed_figure": _figure(agreed_value, unit) if agreed_value is not None else "",
        "gap": _figure(abs(topic["gap"]), unit) if topic["gap"] is not None and not is_agreed else "",
        "latest": [
            {"side": side_label(side), "text": position_wording(kind_code, position["params"]) or position["text"]}
            for side, position in latest
        ],
        "current": position_wording(kind_code, current["params"]) if current else "",
        "rows": [
            {
                "round": _("Round %(n)s") % {"n": n},
                "figures": [(side_label(side), _figure(values[side].get(n), unit)) for side in Side],
            }
            for n in rounds
        ],
    }


@login_required
def gap(request, pk: int):
    """One small chart per topic of each side's position round by round, the same figures as a
    table below it; an htmx fragment, or a page of its own."""
    negotiation = negotiation_or_404(request, pk)
    agreed = {(a.clause_category, a.term_kind): a for a in negotiation.agreed_positions.all()}
    topics = [
        _gap_topic(negotiation, index, topic, agreed.get((topic["clause_category"], topic["term_kind"])))
        for index, topic in enumerate(selectors.negotiation_gap(negotiation=negotiation), start=1)
    ]
    return render(
        request,
        "bargaining/rounds/_gap.html" if request.htmx else "bargaining/rounds/gap.html",
        {"negotiation": negotiation, "topics": topics, "side_labels": [side_label(side) for side in Side]},
    )
