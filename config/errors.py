"""The one base of every error the domain raises on purpose.

A ``DomainError`` carries a stable ``code``, a translatable ``message``, ``extra``
data (for example the rule it applied) and the HTTP status it maps to. The API's
single exception handler renders it; nobody builds an error response by hand.
"""

from typing import Any


class DomainError(Exception):
    code = "domain_error"
    status_code = 400

    def __init__(self, message: Any, *, code: str | None = None, extra: dict[str, Any] | None = None):
        super().__init__(str(message))
        self.message = message
        if code is not None:
            self.code = code
        self.extra = extra or {}


class InvalidInput(DomainError):
    """The request breaks a rule about its own content (400)."""

    code = "invalid"
    status_code = 400


class NotAllowed(DomainError):
    """The user is known but may not do this (403)."""

    code = "permission_denied"
    status_code = 403


class StateConflict(DomainError):
    """The object's current state forbids the change (409)."""

    code = "state_conflict"
    status_code = 409
