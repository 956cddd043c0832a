"""The API's JSON parser, with a bound on nesting.

DRF's JSONParser hands the body to the stdlib ``json``, which recurses once per level
and raises ``RecursionError`` near depth 1,000: a body of 100,000 ``[`` was a 500. This
parser counts the brackets first (outside strings) and refuses anything nested deeper
than ``config.limits.JSON_MAX_DEPTH`` with a 400, before any parsing is done.
"""

import io
import re
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from config.limits import JSON_MAX_DEPTH

# A JSON string (with its escapes) or one bracket; strings are skipped, brackets counted.
_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)
_OPENING = frozenset(b"[{")


def json_depth_exceeds(body: bytes, limit: int = JSON_MAX_DEPTH) -> bool:
    """Whether brackets in ``body`` (outside strings) nest deeper than ``limit``."""
    depth = 0
    for token in _TOKENS.finditer(body):
        first = token.group()[0]
        if first == 0x22:  # a string
            continue
        if first in _OPENING:
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


class BoundedJSONParser(JSONParser):
    """JSONParser that refuses bodies nested deeper than JSON_MAX_DEPTH (400, not 500)."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        body = stream.read() if stream is not None else b""
        if isinstance(body, str):
            body = body.encode()
        if json_depth_exceeds(body):
            raise ParseError(_("The JSON body is nested more than %(limit)d levels deep.") % {"limit": JSON_MAX_DEPTH})
        try:
            return super().parse(io.BytesIO(body), media_type, parser_context)
        except RecursionError:  # belt and braces: never a 500
            raise ParseError(_("The JSON body is nested too deep.")) from None
