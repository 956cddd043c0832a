"""Which roles act for which side; checked on the server for every change."""

from django.utils.translation import gettext as _

from bargaining.errors import SideNotAllowed
from bargaining.models import Side
from contracts.enterprises.access import enterprise_roles
from contracts.enterprises.models import Enterprise, Role

SIDE_ROLES = {
    Side.UNION: {Role.UNION_NEGOTIATOR, Role.UNION_LEADER, Role.ADMIN},
    Side.EMPLOYER: {Role.EMPLOYER_NEGOTIATOR, Role.ADMIN},
}
NEGOTIATION_WRITE_ROLES = SIDE_ROLES[Side.UNION] | SIDE_ROLES[Side.EMPLOYER]


def require_side(*, user, enterprise: Enterprise, side: str) -> None:
    """The user acts for ``side`` in this enterprise, or the change is refused (403)."""
    if not enterprise_roles(user=user, enterprise=enterprise) & SIDE_ROLES[Side(side)]:
        raise SideNotAllowed(
            _("You do not act for the %(side)s side in this enterprise.") % {"side": Side(side).label},
            extra={"side": side},
        )


def require_negotiator(*, user, enterprise: Enterprise) -> None:
    """The user negotiates for either side (or administers the enterprise)."""
    if not enterprise_roles(user=user, enterprise=enterprise) & NEGOTIATION_WRITE_ROLES:
        raise SideNotAllowed(_("Only negotiators of this enterprise may change its negotiations."))
