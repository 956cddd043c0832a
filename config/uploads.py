"""Refusing an upload that is too large before its body is read or written to disk.

``LimitedUploadHandler`` is the first of ``FILE_UPLOAD_HANDLERS``. A multipart request whose
``Content-Length`` is over ``UPLOAD_MAX_REQUEST_BYTES`` is not parsed: only the small form
fields sent before its first file (the CSRF token and, on the payroll form, the enterprise;
at most ``_PREFIX_BYTES`` of the body) are read, no file is kept, and the request is marked
refused. A body that grows past the limit without saying so is stopped where it crosses it.
The views that take uploads ask ``upload_refusal(request)`` first and answer 413 with one
clear message (the page in its form, the API as ``{"code": "upload_too_large", ...}``).

Raising from the handler instead would not do: the CSRF middleware reads ``request.POST``
before any view, and an exception there is a 500 (or a 400 for Django's own ones).
"""

import contextlib
import re
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from config.errors import DomainError

_PREFIX_BYTES = 64 << 10  # read at most this much of a refused body, for its small fields
_STEP = 8 << 10
_NAME = re.compile(rb'\bname="([^"]*)"', re.IGNORECASE)
_ATTRIBUTE = "upload_refused"


class UploadTooLarge(DomainError):
    """The request is larger than an upload may be (413), refused before its body was kept."""

    code = "upload_too_large"
    status_code = 413


def _megabytes(size: int) -> str:
    return f"{size / 2**20:,.1f}"


def _refusal(size: int, limit: int) -> UploadTooLarge:
    return UploadTooLarge(
        _("The upload is %(size)s MB; at most %(limit)s MB can be sent at once.")
        % {"size": _megabytes(size), "limit": _megabytes(limit)},
        extra={"size": size, "limit": limit},
    )


def upload_limit() -> int:
    return int(settings.UPLOAD_MAX_REQUEST_BYTES)


class LimitedUploadHandler(FileUploadHandler):
    """Refuses an over-limit multipart body from its ``Content-Length``; stops one that outgrows the limit."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.received = 0
        limit = upload_limit()
        if content_length is None or content_length <= limit:
            return None
        setattr(self.request, _ATTRIBUTE, _refusal(content_length, limit))
        return _leading_fields(input_data, boundary, encoding or settings.DEFAULT_CHARSET), MultiValueDict()

    def receive_data_chunk(self, raw_data, start):
        self.received = getattr(self, "received", 0) + len(raw_data)
        limit = upload_limit()
        if self.received > limit:
            if self.request is not None:
                setattr(self.request, _ATTRIBUTE, _refusal(self.received, limit))
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None


def _leading_fields(stream, boundary: bytes, encoding: str) -> QueryDict:
    """The plain fields that come before the first file part, from at most ``_PREFIX_BYTES`` of the body."""
    delimiter = b"--" + boundary
    data = b""
    while len(data) < _PREFIX_BYTES:
        block = stream.read(min(_STEP, _PREFIX_BYTES - len(data)))
        if not block:
            break
        data += block
        last = data.rsplit(delimiter, 1)[-1]
        if b"filename=" in last.split(b"\r\n\r\n", 1)[0]:
            break  # a file part has begun: what comes before it is complete
    fields = QueryDict(mutable=True, encoding=encoding)
    for part in data.split(delimiter)[1:-1]:  # the parts followed by another delimiter
        head, separator, value = part.partition(b"\r\n\r\n")
        if not separator or b"filename=" in head:
            break
        name = _NAME.search(head)
        if name is None:
            continue
        if value.endswith(b"\r\n"):
            value = value[:-2]
        fields.appendlist(name.group(1).decode(encoding, "replace"), value.decode(encoding, "replace"))
    fields._mutable = False
    return fields


def upload_refusal(request: Any) -> UploadTooLarge | None:
    """The refusal of this request's upload (a Django or a DRF request), or None; reads the body's form first."""
    django_request = getattr(request, "_request", request)
    if django_request.method in ("POST", "PUT", "PATCH"):
        # Parse the form (a malformed body is the view's to report).
        with contextlib.suppress(Exception):
            request.data if django_request is not request else request.POST  # noqa: B018
    return getattr(django_request, _ATTRIBUTE, None)
