"""Changes to enterprises and their memberships; only an enterprise administrator may make them."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from config.errors import NotAllowed
from contracts.enterprises.access import has_any_role
from contracts.enterprises.models import Enterprise, Membership, Role
from contracts.errors import MembershipExists


def _require_admin(*, user, enterprise: Enterprise) -> None:
    if not has_any_role(user=user, enterprise=enterprise, roles={Role.ADMIN}):
        raise NotAllowed(_("Only an administrator of this enterprise may change it."))


@transaction.atomic
def enterprise_update(*, user, enterprise: Enterprise, **fields: Any) -> Enterprise:
    """Set the enterprise's rule pack and local minimum wage."""
    _require_admin(user=user, enterprise=enterprise)
    for key, value in fields.items():
        setattr(enterprise, key, value)
    enterprise.full_clean()
    enterprise.save()
    return enterprise


@transaction.atomic
def membership_add(*, user, enterprise: Enterprise, member, role: str) -> Membership:
    """Give a user a role in the enterprise."""
    _require_admin(user=user, enterprise=enterprise)
    if Membership.objects.filter(user=member, enterprise=enterprise, role=role).exists():
        raise MembershipExists(_("This user already holds that role here."))
    return Membership.objects.create(user=member, enterprise=enterprise, role=role)
