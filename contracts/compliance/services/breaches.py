"""A breach's life: open → notified → acknowledged | disputed → remedied → closed, with who and when."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contracts.compliance.models import Breach
from contracts.compliance.models import BreachStatus as B
from contracts.enterprises.access import enterprise_roles, require_role
from contracts.enterprises.models import Role
from contracts.errors import BreachStateConflict, DisputeReasonRequired
from contracts.models import Document, DocumentKind
from contracts.rules.units import quantity_text
from contracts.services.documents import NOTICE_REQUESTERS, document_request

EMPLOYER_ROLES = {Role.EMPLOYER_NEGOTIATOR, Role.ADMIN}
UNION_ROLES = {Role.UNION_LEADER, Role.UNION_NEGOTIATOR, Role.ADMIN}

# action -> (from statuses, to status, who may, what it is called)
TRANSITIONS = {
    "acknowledge": ({B.OPEN, B.NOTIFIED}, B.ACKNOWLEDGED, EMPLOYER_ROLES, gettext_lazy("acknowledge the breach")),
    "dispute": ({B.OPEN, B.NOTIFIED}, B.DISPUTED, EMPLOYER_ROLES, gettext_lazy("dispute the breach")),
    "remedy": (
        {B.OPEN, B.NOTIFIED, B.ACKNOWLEDGED, B.DISPUTED},
        B.REMEDIED,
        EMPLOYER_ROLES | UNION_ROLES,
        gettext_lazy("record the remedy"),
    ),
    "close": ({B.REMEDIED, B.DISPUTED}, B.CLOSED, UNION_ROLES, gettext_lazy("close the breach")),
}
# Who a page offers the rectification notice to, and while when: the union side writes it to the
# employer about a breach not yet put right.
NOTICE_ROLES = set(NOTICE_REQUESTERS)  # the same roles as UNION_ROLES, said once by the documents service
NOTICE_STATUSES = {B.OPEN, B.NOTIFIED, B.ACKNOWLEDGED, B.DISPUTED}
NOTICE_LABEL = gettext_lazy("issue a rectification notice")


@transaction.atomic
def breach_transition(*, user, breach: Breach, action: str, reason: str = "") -> Breach:
    """Move a breach along its lifecycle; a dispute needs a reason."""
    breach = Breach.objects.select_for_update().select_related("enterprise").get(pk=breach.pk)
    allowed_from, target, roles, label = TRANSITIONS[action]
    require_role(
        user=user,
        enterprise=breach.enterprise,
        roles=roles,
        message=_("You may not %(action)s in this enterprise.") % {"action": label},
    )
    if breach.status not in allowed_from:
        raise BreachStateConflict(
            _("Cannot %(action)s: the breach is %(status)s.")
            % {"action": label, "status": breach.get_status_display()},
            extra={"action": action, "status": breach.status, "allowed_from": sorted(allowed_from)},
        )
    if action == "dispute":
        if not reason.strip():
            raise DisputeReasonRequired(_("Give the reason for the dispute."))
        breach.dispute_reason = reason
    breach.status, breach.status_changed_by, breach.status_changed_at = target, user, timezone.now()
    breach.save()
    return breach


def breach_moves(*, user, breach: Breach) -> list[str]:
    """The moves ``user`` may make on ``breach`` as it stands (what ``breach_transition`` would
    accept, bar a dispute's reason), in the order of ``TRANSITIONS``; "notice" when they may ask
    for a rectification notice."""
    roles = enterprise_roles(user=user, enterprise=breach.enterprise)
    moves = [
        action
        for action, (allowed_from, _target, who, _label) in TRANSITIONS.items()
        if breach.status in allowed_from and roles & who
    ]
    if breach.status in NOTICE_STATUSES and roles & NOTICE_ROLES:
        moves.append("notice")
    return moves


def breach_refusals(*, user, breach: Breach) -> dict[str, str]:
    """Why each move ``breach_moves`` does not offer ``user`` is refused, in the words the
    service would refuse it with: not this user's side, or not in the breach's status."""
    roles = enterprise_roles(user=user, enterprise=breach.enterprise)
    moves = [(action, allowed_from, who, label) for action, (allowed_from, _target, who, label) in TRANSITIONS.items()]
    moves.append(("notice", NOTICE_STATUSES, NOTICE_ROLES, NOTICE_LABEL))
    refusals = {}
    for action, allowed_from, who, label in moves:
        if not roles & who:
            refusals[action] = _("You may not %(action)s in this enterprise.") % {"action": label}
        elif breach.status not in allowed_from:
            refusals[action] = _("Cannot %(action)s: the breach is %(status)s.") % {
                "action": label,
                "status": breach.get_status_display(),
            }
    return refusals


def breach_notice_request(*, user, breach: Breach, language: str | None = None) -> Document:
    """Ask for a rectification notice to the employer about ``breach``: the union side's, while
    the breach is not yet put right. Asking again returns the same notice (``document_request``)."""
    breach = Breach.objects.select_related("enterprise", "contract").get(pk=breach.pk)
    require_role(
        user=user,
        enterprise=breach.enterprise,
        roles=NOTICE_ROLES,
        message=_("You may not %(action)s in this enterprise.") % {"action": NOTICE_LABEL},
    )
    if breach.status not in NOTICE_STATUSES:
        raise BreachStateConflict(
            _("Cannot %(action)s: the breach is %(status)s.")
            % {"action": NOTICE_LABEL, "status": breach.get_status_display()},
            extra={"action": "notice", "status": breach.status, "allowed_from": sorted(NOTICE_STATUSES)},
        )
    return document_request(
        user=user,
        contract=breach.contract,
        kind=DocumentKind.RECTIFICATION_NOTICE,
        subject_id=breach.pk,
        **({"language": language} if language else {}),
    )


def breach_mark_notified(*, breach_id: int) -> None:
    """Called once the union leaders have been sent the alert: an open breach becomes notified
    (saved, not updated, so that its history shows when)."""
    with transaction.atomic():
        breach = Breach.objects.select_for_update().filter(pk=breach_id, status=B.OPEN).first()
        if breach is None:
            return
        breach.status, breach.status_changed_at = B.NOTIFIED, timezone.now()
        breach.save(update_fields=["status", "status_changed_at"])


def breach_shortfall_text(breach: Breach) -> str:
    """The total shortfall as people read it, in its unit."""
    return quantity_text(breach.total_shortfall, breach.unit)
