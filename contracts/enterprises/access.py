"""Who may see and do what in which enterprise. Every selector starts here."""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from config.errors import NotAllowed
from contracts.enterprises.models import Enterprise, Membership, Role

User = AbstractBaseUser | AnonymousUser


def enterprise_list(*, user: User) -> QuerySet[Enterprise]:
    """The enterprises where ``user`` holds a role, directly or through a federation."""
    if not user.is_authenticated:
        return Enterprise.objects.none()
    return Enterprise.objects.filter(
        Q(memberships__user=user)
        | Q(federation__memberships__user=user, federation__memberships__role=Role.FEDERATION_OFFICER)
    ).distinct()


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
