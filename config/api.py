"""API plumbing shared by every app: pagination and the one exception handler."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from config.errors import DomainError


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


def _message(detail: Any) -> str:
    if isinstance(detail, list) and detail:
        return _message(detail[0])
    if isinstance(detail, dict) and detail:
        return _message(next(iter(detail.values())))
    return str(detail)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Render every error as ``{"code", "message", "extra"}`` with the right status."""
    if isinstance(exc, DomainError):
        return Response(
            {"code": exc.code, "message": str(exc.message), "extra": exc.extra},
            status=exc.status_code,
        )
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"code": "invalid", "message": _message(exc.detail), "extra": {"fields": exc.detail}}
        response.status_code = status.HTTP_400_BAD_REQUEST
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        response.data = {
            "code": codes if isinstance(codes, str) else "error",
            "message": _message(exc.detail),
            "extra": {},
        }
    return response


class ObjectFirstMixin:
    """For viewsets: the object a request names (and its parent) is looked up before any input is
    read, so an id the user cannot see gets the same 404 as one that does not exist, and who may
    act is checked next, so a role that may not gets 403 whatever it sent. ``check_object_first``
    does both; the object is looked up once per request."""

    def check_object_first(self, request) -> None:
        raise NotImplementedError

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        if not getattr(self, "swagger_fake_view", False):
            self.check_object_first(request)

    def get_object(self):
        if not hasattr(self, "_object"):
            self._object = super().get_object()  # type: ignore[misc]
        return self._object
