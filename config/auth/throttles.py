"""DRF throttles: obtaining a token, and writes by a logged-in user.

Their rates are ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (``API_TOKEN_RATE``,
``API_WRITE_RATE`` in the environment). A throttled request gets 429 with ``Retry-After`` and
a sentence saying when to try again. Counters live in the default cache (``CACHE_URL``)."""

import math

from django.utils.translation import ngettext
from rest_framework.exceptions import APIException, Throttled
from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import SimpleRateThrottle


class TooManyRequests(Throttled):
    def __init__(self, message: str, wait: float | None):
        APIException.__init__(self, message, "throttled")
        self.wait = math.ceil(wait) if wait is not None else None


class _Throttle(SimpleRateThrottle):
    def allow_request(self, request, view) -> bool:
        if super().allow_request(request, view):
            return True
        wait = self.wait()
        raise TooManyRequests(self.refusal(math.ceil(wait or 1)), wait)

    def refusal(self, seconds: int) -> str:
        raise NotImplementedError


class TokenRateThrottle(_Throttle):
    """Token requests from one client address (``NUM_PROXIES`` says which address that is)."""

    scope = "token"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def refusal(self, seconds: int) -> str:
        return ngettext(
            "Too many token requests from your address. Try again in %(seconds)d second.",
            "Too many token requests from your address. Try again in %(seconds)d seconds.",
            seconds,
        ) % {"seconds": seconds}


class WriteRateThrottle(_Throttle):
    """Changes (POST, PUT, PATCH, DELETE) by one logged-in user, whatever the client."""

    scope = "write"

    def get_cache_key(self, request, view):
        if request.method in SAFE_METHODS or not request.user or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}

    def refusal(self, seconds: int) -> str:
        return ngettext(
            "Too many changes in a short time. Try again in %(seconds)d second.",
            "Too many changes in a short time. Try again in %(seconds)d seconds.",
            seconds,
        ) % {"seconds": seconds}
