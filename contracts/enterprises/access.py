"""Who may see and do what in which enterprise. Every selector starts here."""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from config.errors import NotAllowed
from contracts.enterprises.models import Enterprise, Membership, Role

User = AbstractBaseUser | AnonymousUser


def enterprise_list(*, user: User, roles: Iterable[str] | None = None) -> QuerySet[Enterprise]:
    """The enterprises where ``user`` holds a role (one of ``roles`` when given), directly or,
    as a federation officer, through their federation."""
    if not user.is_authenticated:
        return Enterprise.objects.none()
    direct = Q(memberships__user=user)
    through_federation = Q(federation__memberships__user=user, federation__memberships__role=Role.FEDERATION_OFFICER)
    if roles is not None:
        roles = set(roles)
        direct = Q(memberships__user=user, memberships__role__in=roles)
        if Role.FEDERATION_OFFICER not in roles:
            return Enterprise.objects.filter(direct).distinct()
    return Enterprise.objects.filter(direct | through_federation).distinct()


def enterprise_roles(*, user: User, enterprise: Enterprise) -> set[str]:
    """The roles ``user`` holds in ``enterprise`` (a federation officer's counts too)."""
    if not user.is_authenticated:
        return set()
    return set(
        Membership.objects.filter(
            Q(user=user, enterprise=enterprise)
            | Q(user=user, federation_id=enterprise.federation_id, role=Role.FEDERATION_OFFICER)
        ).values_list("role", flat=True)
    )


def has_any_role(*, user: User, enterprise: Enterprise, roles: Iterable[str]) -> bool:
    return bool(enterprise_roles(user=user, enterprise=enterprise) & set(roles))


def require_role(*, user: User, enterprise: Enterprise, roles: Iterable[str], message: str) -> None:
    """Refuse (403) unless ``user`` holds one of ``roles`` in ``enterprise``."""
    if not has_any_role(user=user, enterprise=enterprise, roles=roles):
        raise NotAllowed(message)


# Who drafts and moves contracts: the negotiators of both sides, the union leader, the administrator.
CONTRACT_WRITE_ROLES = {Role.UNION_NEGOTIATOR, Role.EMPLOYER_NEGOTIATOR, Role.UNION_LEADER, Role.ADMIN}


def require_contract_writer(*, user: User, enterprise: Enterprise) -> None:
    """Refuse (403) a change to the enterprise's contracts, or to what was found in their payroll,
    by a role that changes none (the finer rule of each change is its service's)."""
    require_role(
        user=user,
        enterprise=enterprise,
        roles=CONTRACT_WRITE_ROLES,
        message=_("Only the negotiators, union leaders and administrators of this enterprise change its contracts."),
    )


# Who reads what names colleagues or prices the payroll: payroll files and their findings
# (breaches), the costing of positions, the filing pack and rectification notices. A workers'
# congress delegate reads the contract, its documents and the congress, not these, for being one.
# Whoever may not read them gets the same 404 as for an id that does not exist.
CONFIDENTIAL_READERS = frozenset(
    {Role.UNION_NEGOTIATOR, Role.EMPLOYER_NEGOTIATOR, Role.UNION_LEADER, Role.ADMIN, Role.FEDERATION_OFFICER}
)


def confidential_enterprise_list(*, user: User) -> QuerySet[Enterprise]:
    """The enterprises whose confidential records (``CONFIDENTIAL_READERS``) the user may read."""
    return enterprise_list(user=user, roles=CONFIDENTIAL_READERS)


def may_read_confidential(*, user: User, enterprise: Enterprise) -> bool:
    return has_any_role(user=user, enterprise=enterprise, roles=CONFIDENTIAL_READERS)
