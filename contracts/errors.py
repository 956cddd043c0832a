"""Every error the contracts app raises on purpose: one class per code, named for what it means.

Each class keeps the status of its base in ``config.errors``: ``InvalidInput`` 400,
``NotAllowed`` 403, ``StateConflict`` 409. The codes are part of the API: clients
branch on them, so a code is never renamed. This module imports only
``config.errors``, so every part of the app can import it.
"""

from config.errors import InvalidInput, NotAllowed, StateConflict

# --- enterprises and memberships ---------------------------------------------------------


class MembershipExists(StateConflict):
    """The user already holds that role in the enterprise."""

    code = "membership_exists"


# --- clause terms (contracts.rules.terms) -------------------------------------------------


class UnknownTermKind(InvalidInput):
    code = "unknown_term_kind"


class InvalidTermParams(InvalidInput):
    """A term's parameters are not an object, or do not fit its kind's schema."""

    code = "invalid_term_params"


# --- drafting a contract ------------------------------------------------------------------


class InvalidTerm(InvalidInput):
    """The contract's term is too short or too long (R10), or a clause's term lacks a kind."""

    code = "invalid_term"


class DuplicateTerm(InvalidInput):
    """A clause holds two terms of the same kind."""

    code = "duplicate_term"


class ChiefWithoutRole(InvalidInput):
    """A chief representative named on the contract holds no role in its enterprise."""

    code = "chief_without_role"


class UnknownClauseCategory(InvalidInput):
    code = "unknown_category"


class DuplicateClauseNumber(InvalidInput):
    code = "duplicate_clause_number"


class UnknownVersion(InvalidInput):
    """The contract has no version of that number."""

    code = "unknown_version"


# --- a contract's life: congress, signing (R7), filing (R8), review (R9) ------------------


class ContractStateConflict(StateConflict):
    """The contract's status forbids the action."""

    code = "contract_state_conflict"


class TermsBelowFloor(ContractStateConflict):
    """Terms below the statutory floor must be raised before the congress votes."""

    code = "terms_below_floor"


class NoClauses(ContractStateConflict):
    """A contract without clauses cannot go to the congress."""

    code = "no_clauses"


class NotChiefRepresentative(NotAllowed):
    """Only the chief representatives named on the contract may sign it."""

    code = "not_chief_representative"


class AlreadySigned(ContractStateConflict):
    """This chief representative has already signed the contract."""

    code = "already_signed"


class ContractNotSigned(StateConflict):
    """Only a contract signed by both chief representatives has a filing pack."""

    code = "contract_not_signed"


class FiledBeforeSigning(InvalidInput):
    code = "filed_before_signing"


class ReceiptBeforeFiling(InvalidInput):
    """The administration's receipt is dated before the filing."""

    code = "receipt_before_filing"


class ObjectionTextRequired(InvalidInput):
    code = "objection_text_required"


class ObjectionBeforeReceipt(InvalidInput):
    """The administration's objection is dated before its receipt."""

    code = "objection_before_receipt"


# --- the workers' congress (R6) -----------------------------------------------------------


class CongressStateConflict(StateConflict):
    """The congress session's state forbids the action."""

    code = "congress_state_conflict"


class NoDelegates(InvalidInput):
    """A workers' congress has at least one delegate."""

    code = "no_delegates"


class UnknownVotingMode(InvalidInput):
    code = "unknown_mode"


class SessionAlreadyOpen(CongressStateConflict):
    """The contract already has an open congress session."""

    code = "session_already_open"


class SessionCancelled(CongressStateConflict):
    """The session was cancelled (deleted) while a request about it was on its way."""

    code = "session_cancelled"


class SessionClosed(CongressStateConflict):
    """The congress session is closed: its result is final."""

    code = "session_closed"


class WrongVotingMode(CongressStateConflict):
    """The session votes the other way (secret ballot or paper tally)."""

    code = "wrong_voting_mode"


class NotADelegate(NotAllowed):
    """Only a delegate to the enterprise's workers' congress may vote."""

    code = "not_a_delegate"


class InvalidBallotChoice(InvalidInput):
    """A ballot is yes, no or abstain."""

    code = "invalid_choice"


class AlreadyVoted(CongressStateConflict):
    """The delegate has already voted in this session."""

    code = "already_voted"


class BallotBoxFull(CongressStateConflict):
    """Every delegate has already voted."""

    code = "ballot_box_full"


class InvalidTally(InvalidInput):
    """The hand count of paper ballots does not add up."""

    code = "invalid_tally"


class NegativeCount(InvalidTally):
    code = "negative_count"


class MorePresentThanDelegates(InvalidTally):
    code = "more_present_than_delegates"


class MoreVotesThanPresent(InvalidTally):
    code = "more_votes_than_present"


class TallyMissing(CongressStateConflict):
    """A paper-ballot session cannot close before its count is recorded."""

    code = "tally_missing"


# --- the sealed ballot box of an electronic vote (contracts.services.ballot_box) ----------


class ClosingCodeMissing(InvalidInput):
    """An electronic ballot closes only with the closing code shown when it opened."""

    code = "closing_code_missing"


class ClosingCodeMalformed(InvalidInput):
    """The closing code is not 32 signs of the code's alphabet."""

    code = "closing_code_malformed"


class ClosingCodeWrong(InvalidInput):
    """The closing code is well formed but does not open this session's ballot box."""

    code = "closing_code_wrong"


class TooManyDelegates(InvalidInput):
    """More delegates than a count of 20 bits holds: the packed counts would overflow."""

    code = "too_many_delegates"


class BallotBoxTampered(StateConflict):
    """The decrypted tally does not fit the receipts: the stored box was altered."""

    code = "ballot_box_tampered"


# --- generated documents ------------------------------------------------------------------


class UnknownDocumentKind(InvalidInput):
    code = "unknown_document_kind"


class UnknownLanguage(InvalidInput):
    """Documents are not written in that language."""

    code = "unknown_language"


class InvalidDocumentSubject(InvalidInput):
    """The subject named (consultation round, congress session, breach) does not fit the document."""

    code = "invalid_document_subject"


class DocumentKindUnavailable(InvalidInput):
    """No subject rule for this kind of document."""

    code = "document_kind_unavailable"


class NoClosedCongressSession(StateConflict):
    """The congress has not yet voted on the contract, so there is no resolution."""

    code = "no_closed_congress_session"


class DocumentNotReady(StateConflict):
    """The document is still queued or rendering, or its rendering failed."""

    code = "document_not_ready"


class PdfNotAvailable(StateConflict):
    """The document has no PDF copy: the server cannot convert documents to PDF."""

    code = "pdf_unavailable"


class UnknownDownloadFormat(InvalidInput):
    """A document downloads as docx or pdf."""

    code = "unknown_format"


# --- compliance: payroll imports, runs, breaches ------------------------------------------


class PayrollFileTooLarge(InvalidInput):
    """The upload is over the size limit and is refused before parsing."""

    code = "file_too_large"


class ForeignPayroll(InvalidInput):
    """The payroll import belongs to another enterprise than the contract."""

    code = "foreign_payroll"


class PayrollNotAccepted(StateConflict):
    """Only an accepted payroll import can be checked."""

    code = "payroll_not_accepted"


class ContractNotInEffect(StateConflict):
    """Only a contract that is or was in effect can be checked."""

    code = "contract_not_in_effect"


class BreachStateConflict(StateConflict):
    """The breach's status forbids the action."""

    code = "breach_state_conflict"


class DisputeReasonRequired(InvalidInput):
    code = "dispute_reason_required"
