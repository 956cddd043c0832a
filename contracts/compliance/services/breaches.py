"""A breach's life: open → notified → acknowledged | disputed → remedied → closed, with who and when."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contracts.compliance.models import Breach
from contracts.compliance.models import BreachStatus as B
from contracts.enterprises.access import require_role
from contracts.enterprises.models import Role
from contracts.errors import BreachStateConflict, DisputeReasonRequired
from contracts.rules.units import quantity_text

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


def breach_mark_notified(*, breach_id: int) -> None:
    """Called once the union leaders have been sent the alert: an open breach becomes notified."""
    Breach.objects.filter(pk=breach_id, status=B.OPEN).update(status=B.NOTIFIED, status_changed_at=timezone.now())


def breach_shortfall_text(breach: Breach) -> str:
    """The total shortfall as people read it, in its unit."""
    return quantity_text(breach.total_shortfall, breach.unit)
