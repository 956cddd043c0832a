"""Which of a contract's moves a user may make now, and why not where a move is theirs to make.

The pages show a button only for a possible move and, for a move that belongs to the
contract's present stage and to the user's role but is blocked, the reason. The services
(contracts/services/lifecycle.py) check every move again when it is made: this only reads.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from contracts.enterprises.access import CONTRACT_WRITE_ROLES, enterprise_roles
from contracts.models import Contract, ContractStatus
from contracts.rules.decisions import RuleRef
from contracts.services.draft_check import contract_draft_check
from contracts.services.lifecycle import TRANSITIONS

S = ContractStatus

# The moves in the order of the contract's life; "edit" covers adding, changing and removing clauses.
MOVES = ("edit", "submit", "sign", "file", "receipt", "objection")
_TRANSITION = {
    "edit": "edit",
    "submit": "submit",
    "sign": "sign",
    "file": "file",
    "receipt": "review",
    "objection": "review",
}


@dataclass(frozen=True)
class Move:
    name: str
    possible: bool
    # Why a move of the user's role at this stage cannot be made now ("" when possible or not theirs).
    reason: str = ""
    rule: dict[str, Any] | None = None

    @property
    def shown(self) -> bool:
        """Whether the page says anything about it: a button, or the reason there is none."""
        return self.possible or bool(self.reason)


def _at_stage(contract: Contract, name: str) -> bool:
    allowed_from, _label = TRANSITIONS[_TRANSITION[name]]
    return contract.status in allowed_from


def _writer_move(contract: Contract, name: str, *, writer: bool) -> Move:
    if not _at_stage(contract, name) or not writer:
        return Move(name, False)
    return Move(name, True)


def _submit(contract: Contract, *, writer: bool) -> Move:
    if not _at_stage(contract, "submit") or not writer:
        return Move("submit", False)
    check = contract_draft_check(contract=contract)
    if not check["can_submit"]:
        return Move(
            "submit",
            False,
            _("Terms below the statutory floor must be raised before the congress votes."),
            RuleRef(rule="R14", pack=contract.enterprise.rule_pack).as_dict(),
        )
    if not contract.clauses.exists():
        return Move("submit", False, _("The contract has no clauses."))
    return Move("submit", True)


def _sign(contract: Contract, user, *, roles: set[str]) -> Move:
    if not _at_stage(contract, "sign"):
        return Move("sign", False)
    r7 = RuleRef(rule="R7", pack=contract.enterprise.rule_pack).as_dict()
    sides = [
        side
        for side, chief_id in (("union", contract.union_chief_id), ("employer", contract.employer_chief_id))
        if chief_id == user.pk
    ]
    if not sides:
        if not roles & CONTRACT_WRITE_ROLES:
            return Move("sign", False)
        if contract.union_chief_id is None or contract.employer_chief_id is None:
            return Move(
                "sign",
                False,
                _("Name both chief representatives on the contract before it can be signed."),
                r7,
            )
        return Move("sign", False, _("Only the chief representatives named on this contract may sign it."), r7)
    if all(getattr(contract, f"{side}_signed_at") is not None for side in sides):
        return Move("sign", False, _("You have already signed this contract."), r7)
    return Move("sign", True)


def contract_moves(contract: Contract, user) -> dict[str, Move]:
    """Each move of ``contract`` (``MOVES``) as ``user`` may or may not make it now."""
    roles = enterprise_roles(user=user, enterprise=contract.enterprise)
    writer = bool(roles & CONTRACT_WRITE_ROLES)
    moves = {
        "edit": _writer_move(contract, "edit", writer=writer),
        "submit": _submit(contract, writer=writer),
        "sign": _sign(contract, user, roles=roles),
        "file": _writer_move(contract, "file", writer=writer),
        "receipt": _writer_move(contract, "receipt", writer=writer),
        "objection": _writer_move(contract, "objection", writer=writer),
    }
    return {name: moves[name] for name in MOVES}
