"""The errors the bargaining rules raise, each with a stable code."""

from config.errors import InvalidInput, NotAllowed, StateConflict


class TransitionForbidden(StateConflict):
    code = "transition_forbidden"


class RepresentationIncomplete(StateConflict):
    """R2/R3 do not hold yet, so rounds cannot start."""

    code = "representation_incomplete"


class InvalidRepresentative(InvalidInput):
    code = "invalid_representative"


class NotAChiefRepresentative(NotAllowed):
    code = "not_chief_representative"


class MinutesSigned(StateConflict):
    code = "minutes_signed"


class InvalidSession(InvalidInput):
    code = "invalid_session"


class InvalidProposal(InvalidInput):
    code = "invalid_proposal"


class SideNotAllowed(NotAllowed):
    code = "side_not_allowed"
