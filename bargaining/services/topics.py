"""A topic of the talks is a clause category with, optionally, a typed term kind."""

from typing import Any

from django.utils.translation import gettext as _

from bargaining.errors import InvalidProposal
from contracts.rules.terms import TERM_KINDS, ClauseCategory, term_params_validate


def proposal_params_validate(*, category: str, term_kind: str, params: dict[str, Any] | None) -> dict[str, Any]:
    """The topic's params, checked: a known category, a term kind of that category, params fitting its schema."""
    if category not in ClauseCategory.values:
        raise InvalidProposal(_("Unknown clause category."), code="unknown_category")
    if not term_kind:
        if params:
            raise InvalidProposal(_("Parameters need a term kind."), code="params_without_term_kind")
        return {}
    params = term_params_validate(kind=term_kind, params=params)
    if TERM_KINDS[term_kind].category != category:
        raise InvalidProposal(
            _("The term kind “%(kind)s” belongs to the category “%(category)s”.")
            % {"kind": term_kind, "category": ClauseCategory(TERM_KINDS[term_kind].category).label},
            code="term_kind_category_mismatch",
        )
    return params
