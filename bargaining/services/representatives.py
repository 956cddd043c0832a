"""Bargaining representatives (R2, R3): who speaks for each side."""

import datetime as dt
import unicodedata
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from bargaining.errors import InvalidRepresentative, RepresentationIncomplete
from bargaining.models import Negotiation, NegotiationStatus, Representative, Side
from bargaining.services.permissions import require_side
from contracts.rules.deadlines import deadline_after
from contracts.rules.decisions import RuleRef, article, deadline_provisional_year

CLOSED = {NegotiationStatus.CONCLUDED, NegotiationStatus.DECLINED}


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    rule: str
    side: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "rule": self.rule,
            "article": article(self.rule),
            "side": self.side,
        }


def _same_person_key(representative: Representative) -> str:
    return unicodedata.normalize("NFKC", representative.name).casefold().replace(" ", "")


def representation_problems(*, negotiation: Negotiation) -> list[Problem]:
    """Everything that keeps the two teams from meeting R2 and R3 (empty when they do)."""
    pack = negotiation.enterprise.pack
    active = [r for r in negotiation.representatives.all() if r.is_active]
    by_side = {side: [r for r in active if r.side == side] for side in Side.values}
    problems: list[Problem] = []
    for side, members in by_side.items():
        label = Side(side).label
        if len(members) < pack.min_representatives:
            problems.append(
                Problem(
                    "too_few_representatives",
                    _("The %(side)s side has %(n)s representatives; at least %(min)s are needed.")
                    % {"side": label, "n": len(members), "min": pack.min_representatives},
                    "R2",
                    side,
                )
            )
        chiefs = [r for r in members if r.is_chief]
        if len(chiefs) != 1:
            problems.append(
                Problem(
                    "chief_missing",
                    _("The %(side)s side needs exactly one chief representative.") % {"side": label},
                    "R2",
                    side,
                )
            )
        external = sum(r.is_external for r in members)
        if members and Fraction(external, len(members)) > pack.max_external_fraction:
            problems.append(
                Problem(
                    "too_many_external",
                    _("Outside experts are %(n)s of the %(total)s on the %(side)s side; at most %(max)s may be.")
                    % {"n": external, "total": len(members), "side": label, "max": pack.max_external_fraction},
                    "R2",
                    side,
                )
            )
    union_n, employer_n = len(by_side[Side.UNION]), len(by_side[Side.EMPLOYER])
    unequal = employer_n > union_n if pack.employer_side_may_be_smaller else employer_n != union_n
    if unequal:
        message = (
            _("The employer side (%(e)s) may not outnumber the union side (%(u)s).")
            if pack.employer_side_may_be_smaller
            else _("Both sides need the same number of representatives (union %(u)s, employer %(e)s).")
        )
        problems.append(Problem("unequal_sides", message % {"u": union_n, "e": employer_n}, "R2"))
    union_keys = {_same_person_key(r) for r in by_side[Side.UNION]} | {
        f"user:{r.user_id}" for r in by_side[Side.UNION] if r.user_id
    }
    for r in by_side[Side.EMPLOYER]:
        if _same_person_key(r) in union_keys or (r.user_id and f"user:{r.user_id}" in union_keys):
            problems.append(
                Problem(
                    "on_both_sides",
                    _("%(name)s represents both sides; nobody may.") % {"name": r.name},
                    "R3",
                )
            )
    return problems


def representation_require_complete(*, negotiation: Negotiation) -> None:
    """Refuse (409) to go on to rounds while R2/R3 do not hold, naming each problem."""
    problems = representation_problems(negotiation=negotiation)
    if problems:
        raise RepresentationIncomplete(
            " ".join(p.message for p in problems),
            extra={
                "problems": [p.as_dict() for p in problems],
                "rule": RuleRef(rule=problems[0].rule, pack=negotiation.enterprise.rule_pack).as_dict(),
            },
        )


def _check_one(representative: Representative) -> None:
    """The rules one appointment can break on its own: an expert as chief, a second chief, both sides."""
    negotiation = representative.negotiation
    pack_code = negotiation.enterprise.rule_pack
    if representative.is_chief and representative.is_external:
        raise InvalidRepresentative(
            _("An outside expert cannot be the chief representative."),
            code="external_chief",
            extra={"rule": RuleRef(rule="R2", pack=pack_code).as_dict()},
        )
    others = negotiation.representatives.filter(vacated_on__isnull=True).exclude(pk=representative.pk)
    if representative.is_chief and others.filter(side=representative.side, is_chief=True).exists():
        raise InvalidRepresentative(
            _("This side already has a chief representative."),
            code="second_chief",
            extra={"rule": RuleRef(rule="R2", pack=pack_code).as_dict()},
        )
    key = _same_person_key(representative)
    for other in others.exclude(side=representative.side):
        if _same_person_key(other) == key or (representative.user_id and other.user_id == representative.user_id):
            raise InvalidRepresentative(
                _("%(name)s already represents the other side; nobody may represent both.")
                % {"name": representative.name},
                code="on_both_sides",
                extra={"rule": RuleRef(rule="R3", pack=pack_code).as_dict()},
            )


def _require_open(negotiation: Negotiation) -> None:
    if negotiation.status in CLOSED:
        raise RepresentationIncomplete(
            _("The negotiation is %(status)s; its representatives can no longer change.")
            % {"status": negotiation.get_status_display()},
            code="negotiation_closed",
        )


@transaction.atomic
def representative_add(
    *, user, negotiation: Negotiation, side: str, name: str, login=None, **fields: Any
) -> Representative:
    """Appoint a representative to one side (R2, R3); ``login`` links the person's user account."""
    require_side(user=user, enterprise=negotiation.enterprise, side=side)
    _require_open(negotiation)
    replaces = fields.get("replaces")
    if replaces is not None:
        if replaces.negotiation_id != negotiation.pk or replaces.side != side or replaces.is_active:
            raise InvalidRepresentative(
                _("A representative can only fill a vacancy of the same side in the same negotiation."),
                code="invalid_vacancy",
            )
        if Representative.objects.filter(replaces=replaces).exists():
            raise InvalidRepresentative(
                _("The vacancy left by %(name)s has already been filled.") % {"name": replaces.name},
                code="vacancy_filled",
            )
    representative = Representative(negotiation=negotiation, side=side, name=name, user=login, **fields)
    _check_one(representative)
    representative.save()
    return representative


@transaction.atomic
def representative_update(*, user, representative: Representative, **fields: Any) -> Representative:
    """Change a representative's details (``login`` relinks the account); the appointment rules are checked again."""
    if "login" in fields:
        fields["user"] = fields.pop("login")
    require_side(user=user, enterprise=representative.negotiation.enterprise, side=representative.side)
    _require_open(representative.negotiation)
    if "side" in fields and fields["side"] != representative.side:
        require_side(user=user, enterprise=representative.negotiation.enterprise, side=fields["side"])
    for key, value in fields.items():
        setattr(representative, key, value)
    _check_one(representative)
    representative.save()
    return representative


@transaction.atomic
def representative_vacate(*, user, representative: Representative, on: dt.date) -> Representative:
    """A representative leaves office; the vacancy must be filled within 15 days (R2, PCC Art. 31)."""
    require_side(user=user, enterprise=representative.negotiation.enterprise, side=representative.side)
    _require_open(representative.negotiation)
    if not representative.is_active:
        raise RepresentationIncomplete(_("This representative has already left office."), code="already_vacated")
    representative.vacated_on = on
    representative.save()
    return representative


def vacancy_fill_deadline(*, representative: Representative) -> dict[str, Any] | None:
    """The fill-by date of the vacancy a representative left, with the rule applied (None if they
    have not left). A leaving date no fill-by date can be counted from (9999-12-31, stored before
    dates were range-checked) raises OverflowError: the hourly task logs and skips it."""
    if representative.vacated_on is None:
        return None
    pack = representative.negotiation.enterprise.pack
    deadline = deadline_after(representative.vacated_on, pack.vacancy_fill_days, pack=pack)
    filled = hasattr(representative, "replacement")
    return {
        "fill_due": deadline.due,
        "filled": filled,
        "overdue": not filled and deadline.is_overdue(),
        "rule": RuleRef(
            rule="R2",
            pack=pack.code,
            detail=_("A vacancy is filled within %(n)s days (PCC Art. 31).") % {"n": pack.vacancy_fill_days},
            params={"days": pack.vacancy_fill_days, "calendar_known": deadline.calendar_known},
            provisional_year=deadline_provisional_year(representative.vacated_on, deadline),
        ).as_dict(),
    }


def vacancy_fill_deadline_shown(*, representative: Representative) -> dict[str, Any] | None:
    """``vacancy_fill_deadline`` for pages and the API: a leaving date no fill-by date can be
    counted from shows as stored, with no fill-by date, instead of breaking the page."""
    try:
        return vacancy_fill_deadline(representative=representative)
    except OverflowError:
        return None
