"""What the round pages share: the objects a URL names (404 outside the user's enterprises),
the sides a user negotiates for, and how sides, people and topics are worded."""

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from bargaining import selectors
from bargaining.models import ConsultationSession, Negotiation, Representative, Side
from bargaining.services.permissions import SIDE_ROLES, require_negotiator
from config.errors import DomainError
from config.pages import domain_error
from contracts.enterprises.access import enterprise_roles
from contracts.rules.decisions import RuleRef
from contracts.rules.terms import TERM_KINDS, ClauseCategory

CATEGORY_ORDER = {code: index for index, code in enumerate(ClauseCategory.values)}
KIND_ORDER = {code: index for index, code in enumerate(TERM_KINDS)}


def negotiation_or_404(request, pk: int) -> Negotiation:
    return get_object_or_404(selectors.negotiation_list(user=request.user), pk=pk)


def session_or_404(negotiation: Negotiation, round_id: int) -> ConsultationSession:
    return get_object_or_404(selectors.session_list(negotiation=negotiation), pk=round_id)


def negotiator_refusal(request, negotiation: Negotiation) -> tuple[dict[str, Any], int] | None:
    """The refusal (as a page shows it, and its status: 403) of a change by someone who negotiates
    for neither side, whatever the form holds; None for a negotiator."""
    try:
        require_negotiator(user=request.user, enterprise=negotiation.enterprise)
    except DomainError as refusal:
        return domain_error(refusal), refusal.status_code
    return None


def r4_rule(negotiation: Negotiation) -> dict[str, Any]:
    """R4 as a page cites it: the chiefs chair in turn, sign the minutes, which then freeze."""
    return RuleRef(rule="R4", pack=negotiation.enterprise.rule_pack).as_dict()


def sides_for(user, negotiation: Negotiation) -> list[Side]:
    """The sides the user negotiates for: what the forms offer (the services check it again)."""
    roles = enterprise_roles(user=user, enterprise=negotiation.enterprise)
    return [side for side in Side if roles & SIDE_ROLES[side]]


def side_label(side: str) -> str:
    """A side's name standing alone (a column, a legend): "Union", "工会方"."""
    return capfirst(Side(side).label)


def representative_label(representative: Representative) -> str:
    if representative.is_chief:
        return _("%(name)s (chief representative)") % {"name": representative.name}
    if representative.is_external:
        return _("%(name)s (outside expert)") % {"name": representative.name}
    return representative.name


def text_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def topic_label(category: str, kind: str) -> str:
    """A topic of the talks: its clause category, and its term when typed ("Pay · Minimum monthly wage")."""
    label = str(dict(ClauseCategory.choices).get(category, ClauseCategory.OTHER.label))
    if kind in TERM_KINDS:
        label = f"{label} · {TERM_KINDS[kind].label}"
    return label


def topic_order(topic: tuple[str, str]) -> tuple[int, int]:
    """Topics in the order of the statutory contents (PCC Art. 8), then of the term kinds."""
    return CATEGORY_ORDER.get(topic[0], len(CATEGORY_ORDER)), KIND_ORDER.get(topic[1], -1)


def position_wording(kind: str, params: dict[str, Any]) -> str:
    """A typed position in the reader's language ("Monthly base wage of at least 3,200 yuan")."""
    return TERM_KINDS[kind].describe(params) if kind in TERM_KINDS else ""
