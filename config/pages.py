"""What every app's pages share: a service's refusal as the page shows it."""

from typing import Any

from config.errors import DomainError


def domain_error(error: DomainError) -> dict[str, Any]:
    """A refusal as a page shows it: its message (already in the reader's language) and, when the
    service cited one, the rule and article (``templates/partials/domain_error.html``)."""
    rule = error.extra.get("rule") if isinstance(error.extra, dict) else None
    return {"message": str(error.message), "code": error.code, "rule": rule if isinstance(rule, dict) else None}
