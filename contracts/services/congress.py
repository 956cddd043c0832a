"""The workers' congress vote on a draft contract (R6): sessions, secret ballots, paper tallies, the decision.

Secrecy: a ballot writes a receipt (that the delegate voted) and multiplies a fresh
encryption of the choice into the ballot box's encrypted tally
(``contracts.services.ballot_box``); nothing here returns, logs or stores who chose
what, and no copy of the database tells it: the tally is decrypted only at close,
with the closing code the organiser was shown once at opening.
"""

import math
from fractions import Fraction
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from config.errors import NotAllowed
from contracts.enterprises.access import CONTRACT_WRITE_ROLES, enterprise_list, has_any_role, require_role
from contracts.enterprises.models import Enterprise, Role
from contracts.errors import (
    AlreadyVoted,
    BallotBoxFull,
    BallotBoxTampered,
    ClosingCodeMissing,
    InvalidBallotChoice,
    MorePresentThanDelegates,
    MoreVotesThanPresent,
    NegativeCount,
    NoDelegates,
    NotADelegate,
    SessionAlreadyOpen,
    SessionCancelled,
    SessionClosed,
    TallyMissing,
    UnknownVotingMode,
    WrongVotingMode,
)
from contracts.models import BallotBox, BallotChoice, BallotReceipt, CongressMode, CongressSession, Contract
from contracts.rules.decisions import RuleRef, article
from contracts.rules.pack_settings.store import rule_pack_in_force
from contracts.rules.packs import CongressMajority, RulePack
from contracts.services import ballot_box
from contracts.services.lifecycle import contract_check_transition, contract_congress_decided

BALLOT_CHOICES = tuple(BallotChoice.values)


# --- reads ------------------------------------------------------------------------------


def congress_session_list(*, user) -> QuerySet[CongressSession]:
    """The congress sessions of contracts in the enterprises ``user`` can see."""
    return CongressSession.objects.filter(contract__enterprise__in=enterprise_list(user=user))


def ballot_count(*, user, session: CongressSession) -> dict[str, Any]:
    """How many delegates have voted, and whether ``user`` has: never what anyone chose."""
    return {
        "ballots_cast": session.receipts.count(),
        "delegates_total": session.delegates_total,
        "you_voted": bool(user.is_authenticated and session.receipts.filter(delegate=user).exists()),
    }


# --- the decision (pure) ----------------------------------------------------------------


def congress_decide(
    *, delegates_total: int, present: int, yes: int, no: int, abstain: int, pack: RulePack
) -> dict[str, Any]:
    """R6: at least two thirds of ALL delegates attend, and more than half of ALL delegates vote yes.

    Exact arithmetic: exactly two thirds is a quorum; under ``half_or_more`` exactly half passes.
    """
    quorum = pack.congress_quorum * delegates_total
    half = Fraction(delegates_total, 2)
    quorum_met = present >= quorum
    if pack.congress_majority == CongressMajority.HALF_OR_MORE:
        majority_met, yes_needed = yes >= half, math.ceil(half)
    else:
        majority_met, yes_needed = yes > half, math.floor(half) + 1
    return {
        "rule": "R6",
        "article": article("R6"),
        "pack": pack.code,
        "delegates_total": delegates_total,
        "present": present,
        "yes": yes,
        "no": no,
        "abstain": abstain,
        "quorum": str(pack.congress_quorum),
        "present_needed": math.ceil(quorum),
        "quorum_met": quorum_met,
        "majority": str(pack.congress_majority),
        "yes_needed": yes_needed,
        "majority_met": majority_met,
        "passed": quorum_met and majority_met,
    }


def congress_result_describe(result: dict[str, Any]) -> dict[str, Any] | None:
    """A stored R6 decision as people read it, in their language: passed, why, and the rule."""
    if not result:
        return None
    numbers = {
        "present": result["present"],
        "total": result["delegates_total"],
        "present_needed": result["present_needed"],
        "quorum": result["quorum"],
        "yes": result["yes"],
        "yes_needed": result["yes_needed"],
        "majority": CongressMajority(result["majority"]).label,
    }
    if not result["quorum_met"]:
        reason = (
            _(
                "Not passed: %(present)s of %(total)s delegates attended, but at least %(quorum)s of all delegates "
                "(%(present_needed)s) must attend."
            )
            % numbers
        )
    elif not result["majority_met"]:
        reason = (
            _(
                "Not passed: %(yes)s of %(total)s delegates voted yes, but %(majority)s (at least %(yes_needed)s) "
                "must vote yes."
            )
            % numbers
        )
    else:
        reason = (
            _(
                "Passed: %(present)s of %(total)s delegates attended (at least %(present_needed)s needed) and "
                "%(yes)s voted yes (%(majority)s: at least %(yes_needed)s)."
            )
            % numbers
        )
    params = {
        key: result[key] for key in ("quorum", "present_needed", "quorum_met", "majority", "yes_needed", "majority_met")
    }
    return {
        "passed": result["passed"],
        "reason": reason,
        "rule": RuleRef(rule="R6", pack=result["pack"], detail=reason, params=params).as_dict(),
        "result": result,
    }


# --- writes -----------------------------------------------------------------------------


# --- who may do what (the API and the pages ask these first, before reading any input) ---

CONGRESS_ORGANISERS = frozenset(CONTRACT_WRITE_ROLES)  # open, tally, close and cancel
CONGRESS_VOTERS = frozenset({Role.CONGRESS_DELEGATE})


def may_run_congress(*, user, enterprise: Enterprise) -> bool:
    return has_any_role(user=user, enterprise=enterprise, roles=CONGRESS_ORGANISERS)


def runs_congress_anywhere(*, user) -> bool:
    """Whether ``user`` may run the workers' congress of at least one enterprise."""
    return enterprise_list(user=user, roles=CONGRESS_ORGANISERS).exists()


def require_congress_organiser(*, user, enterprise: Enterprise) -> None:
    """Refuse (403) opening, counting, closing or cancelling a congress session to anyone but the
    negotiators, union leaders and administrators of the enterprise (never a delegate or a
    federation officer for being one)."""
    require_role(
        user=user,
        enterprise=enterprise,
        roles=CONGRESS_ORGANISERS,
        message=_("Only negotiators and union leaders of this enterprise may run its workers' congress."),
    )


def require_congress_delegate(*, user, enterprise: Enterprise) -> None:
    """Refuse (403) a ballot from anyone but a delegate to the enterprise's workers' congress."""
    if not has_any_role(user=user, enterprise=enterprise, roles=CONGRESS_VOTERS):
        raise NotADelegate(_("Only a delegate to this enterprise's workers' congress may vote."))


def require_congress_opener(*, user, contract: Contract | None) -> None:
    """Refuse (403) opening a session to anyone but an organiser of the contract's enterprise; with
    no contract the user can see (none named, or one they cannot see: the input's check answers
    that as for one that does not exist), to anyone who runs no enterprise's congress."""
    if contract is not None:
        require_congress_organiser(user=user, enterprise=contract.enterprise)
    elif not runs_congress_anywhere(user=user):
        raise NotAllowed(
            _("Only the negotiators, union leaders and administrators of an enterprise run its workers' congress.")
        )


def _require_organiser(*, user, contract: Contract) -> None:
    require_congress_organiser(user=user, enterprise=contract.enterprise)


def _locked(session: CongressSession) -> CongressSession:
    locked = CongressSession.objects.select_for_update().select_related("contract__enterprise").filter(pk=session.pk)
    found = locked.first()
    if found is None:  # cancelled by its organiser since the request looked it up
        raise SessionCancelled(_("This session was cancelled in the meantime: nothing was recorded."))
    return found


def _require_open(session: CongressSession) -> None:
    if session.is_closed:
        raise SessionClosed(
            _("This congress session is closed: its result is final."),
            extra={"session": session.pk, "passed": session.passed},
        )


def _require_mode(session: CongressSession, mode: str) -> None:
    if session.mode != mode:
        raise WrongVotingMode(
            _("This congress session votes by %(mode)s.") % {"mode": session.get_mode_display()},
            extra={"mode": session.mode},
        )


@transaction.atomic
def congress_session_open(
    *, user, contract: Contract, delegates_total: int, held_on, mode: str = CongressMode.BALLOT
) -> CongressSession:
    """Put the submitted version of a contract before the workers' congress (R6); one open session per contract.

    For an electronic ballot the session returned carries ``closing_code``: the only key to its
    ballot box, to show the organiser once. It is stored nowhere.
    """
    contract = Contract.objects.select_for_update().select_related("enterprise").get(pk=contract.pk)
    _require_organiser(user=user, contract=contract)
    contract_check_transition(contract=contract, action="vote")
    if delegates_total < 1:
        raise NoDelegates(_("A workers' congress has at least one delegate."))
    if mode not in CongressMode.values:
        raise UnknownVotingMode(_("Unknown way of voting."), extra={"mode": mode})
    if mode == CongressMode.BALLOT:
        ballot_box.ballot_box_check_size(delegates_total)
    already_open = _("This contract already has an open congress session.")
    open_session = contract.congress_sessions.filter(closed_at__isnull=True).first()
    if open_session is not None:
        raise SessionAlreadyOpen(already_open, extra={"session": open_session.pk})
    try:
        with transaction.atomic():
            session = CongressSession.objects.create(
                contract=contract,
                delegates_total=delegates_total,
                held_on=held_on,
                mode=mode,
                contract_version=contract.version,
            )
    except IntegrityError as error:
        raise SessionAlreadyOpen(already_open) from error
    if mode == CongressMode.BALLOT:
        box = ballot_box.ballot_box_new(session_id=session.pk)
        BallotBox.objects.create(session=session, public_key=box.public_n, tally=box.tally, sealed_key=box.sealed_key)
        session.closing_code = box.closing_code
    return session


def ballot_cast(*, user, session: CongressSession, choice: str) -> None:
    """A delegate casts one secret ballot: a receipt that they voted, and the choice, encrypted,
    added into the box's encrypted tally in the same transaction. The session row is not saved."""
    if choice not in BALLOT_CHOICES:
        raise InvalidBallotChoice(_("Vote yes, no or abstain."))
    # The encryption (tens of milliseconds) needs only the public key, which never changes: it is
    # done before the transaction, so the locks are held for a multiplication only.
    public_keys = BallotBox.objects.filter(session=session).values_list("public_key", flat=True)
    public_key = next(iter(public_keys), None)
    ballot = ballot_box.ballot_encrypt(public_n=bytes(public_key), choice=choice) if public_key else None
    _ballot_record(user=user, session=session, ballot=ballot)


@transaction.atomic
def _ballot_record(*, user, session: CongressSession, ballot: int | None) -> None:
    session = _locked(session)
    require_congress_delegate(user=user, enterprise=session.contract.enterprise)
    _require_open(session)
    _require_mode(session, CongressMode.BALLOT)
    box = BallotBox.objects.select_for_update().get(session=session)
    already_voted = _("You have already voted in this session.")
    if session.receipts.filter(delegate=user).exists():
        raise AlreadyVoted(already_voted)
    if session.receipts.count() >= session.delegates_total:
        raise BallotBoxFull(
            _("All %(n)s delegates have already voted.") % {"n": session.delegates_total},
            extra={"delegates_total": session.delegates_total},
        )
    assert ballot is not None  # an open electronic session always has its box
    try:
        with transaction.atomic():
            BallotReceipt.objects.create(session=session, delegate=user)
    except IntegrityError as error:
        raise AlreadyVoted(already_voted) from error
    tally = ballot_box.tally_add(public_n=bytes(box.public_key), tally=bytes(box.tally), ballot=ballot)
    # An UPDATE of the one column: no save(), no signal, no history.
    BallotBox.objects.filter(pk=box.pk).update(tally=tally)


@transaction.atomic
def congress_tally_record(
    *, user, session: CongressSession, present: int, yes: int, no: int, abstain: int
) -> CongressSession:
    """Paper ballots counted by hand: nobody is counted who is not a delegate, no vote without a delegate present."""
    session = _locked(session)
    _require_organiser(user=user, contract=session.contract)
    _require_open(session)
    _require_mode(session, CongressMode.TALLY)
    counts = {"present": present, "yes": yes, "no": no, "abstain": abstain}
    negative = sorted(name for name, value in counts.items() if value < 0)
    if negative:
        raise NegativeCount(
            _("Counts cannot be negative: %(fields)s.") % {"fields": ", ".join(negative)},
            extra={"fields": negative},
        )
    if present > session.delegates_total:
        raise MorePresentThanDelegates(
            _("%(present)s delegates present, but the congress has only %(total)s.")
            % {"present": present, "total": session.delegates_total},
            extra={"present": present, "delegates_total": session.delegates_total},
        )
    votes = yes + no + abstain
    if votes > present:
        raise MoreVotesThanPresent(
            _("%(votes)s votes (yes, no and abstentions) from only %(present)s delegates present.")
            % {"votes": votes, "present": present},
            extra={"votes": votes, "present": present},
        )
    for name, value in counts.items():
        setattr(session, name, value)
    session.save(update_fields=list(counts))
    return session


@transaction.atomic
def congress_session_close(*, user, session: CongressSession, closing_code: str | None = None) -> CongressSession:
    """Close the vote and decide under R6; the contract is approved, or goes back to draft with the result kept.

    An electronic ballot needs ``closing_code``: it unseals the session's private key, which
    decrypts the tally and nothing else; then the ballot box (its sealed key and ciphertext) is
    deleted. A wrong code changes nothing.
    """
    session = _locked(session)
    _require_organiser(user=user, contract=session.contract)
    _require_open(session)
    if session.mode == CongressMode.BALLOT:
        if not closing_code or not closing_code.strip():
            raise ClosingCodeMissing(
                _("Enter the closing code shown when the session was opened: only it opens the ballot box."),
                extra={"field": "closing_code"},
            )
        box = BallotBox.objects.select_for_update().get(session=session)
        counts = ballot_box.tally_open(
            closing_code=closing_code,
            session_id=session.pk,
            public_n=bytes(box.public_key),
            sealed_key=bytes(box.sealed_key),
            tally=bytes(box.tally),
        )
        # A delegate present casts yes, no or abstain, so those present are those who voted.
        session.present = session.receipts.count()
        if sum(counts.values()) != session.present:
            raise BallotBoxTampered(
                _("The ballot box holds %(votes)s votes for %(receipts)s delegates who voted: it was altered.")
                % {"votes": sum(counts.values()), "receipts": session.present}
            )
        session.yes, session.no, session.abstain = counts["yes"], counts["no"], counts["abstain"]
        box.delete()
    elif session.present is None or session.yes is None or session.no is None or session.abstain is None:
        # congress_tally_record sets the four counts together.
        raise TallyMissing(_("Record the count of the paper ballots before closing the session."))
    result = congress_decide(
        delegates_total=session.delegates_total,
        present=session.present,
        yes=session.yes,
        no=session.no,
        abstain=session.abstain,
        # The majority as the administrator has set it for the pack now; the result keeps it.
        pack=rule_pack_in_force(session.contract.enterprise.rule_pack),
    )
    session.result, session.passed, session.closed_at = result, result["passed"], timezone.now()
    session.save()
    contract_congress_decided(contract=session.contract, passed=session.passed, user=user)
    return session


@transaction.atomic
def congress_session_cancel(*, user, session: CongressSession) -> None:
    """Call off an open session with no result, e.g. when its closing code is lost: the session,
    its receipts and its ballot box are deleted (the session's history keeps that it existed and
    was deleted), and the contract, still before the congress, can be put to a new session."""
    session = _locked(session)
    _require_organiser(user=user, contract=session.contract)
    _require_open(session)
    session.delete()
