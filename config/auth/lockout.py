"""What django-axes answers a client it has locked out, and which address it counts.

A login is locked for one username *from one address* (``AXES_LOCKOUT_PARAMETERS``): someone who
guesses a colleague's password locks only themselves out, not the colleague everywhere."""

import math

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext, ngettext
from rest_framework.throttling import BaseThrottle


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as the DRF throttles see it: ``REMOTE_ADDR``, or behind
    ``NUM_PROXIES`` trusted proxies the address the nearest one saw in ``X-Forwarded-For``."""
    return BaseThrottle().get_ident(request) or None  # type: ignore[arg-type]  # reads only META


def _seconds() -> int | None:
    """How long a lockout lasts (``AXES_COOLOFF_TIME``), None for until an administrator unlocks."""
    cool_off = settings.AXES_COOLOFF_TIME
    return int(cool_off.total_seconds()) if cool_off else None


def _minutes() -> int | None:
    seconds = _seconds()
    return None if seconds is None else max(1, math.ceil(seconds / 60))


def lockout_message() -> str:
    minutes = _minutes()
    if minutes is None:
        return gettext(
            "Too many wrong passwords for this username from your address: logging in is blocked "
            "until an administrator unlocks it. Please contact your administrator."
        )
    return ngettext(
        "Too many wrong passwords for this username from your address: logging in is blocked for "
        "%(minutes)d minute. Wait and try again, or ask your administrator to unlock it.",
        "Too many wrong passwords for this username from your address: logging in is blocked for "
        "%(minutes)d minutes. Wait and try again, or ask your administrator to unlock it.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: a page for people, our JSON error for the API; 429 either way.

    Every attempt during a lockout starts its cool-off again, so ``Retry-After`` is the whole of it."""
    status = getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429)
    minutes = _minutes()
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"code": "locked_out", "message": lockout_message(), "extra": {}}, status=status)
    else:
        context = {"message": lockout_message(), "minutes": minutes}
        response = render(request, "registration/lockout.html", context, status=status)
    seconds = _seconds()
    if seconds is not None:
        response["Retry-After"] = str(seconds)
    return response
