"""What the compliance pages share: who may read them, and a page of a long list."""

from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from contracts.compliance.selectors import compliance_enterprise_list


def require_reader(request: HttpRequest) -> None:
    """Compliance pages are for who may read an enterprise's payroll compliance (403 otherwise)."""
    if not compliance_enterprise_list(user=request.user).exists():
        raise PermissionDenied(_("Payroll and breaches are read by negotiators, union leaders and administrators."))


def page_of(request: HttpRequest, items: Any, per_page: int) -> Page:
    """The page ``?page=`` asks for (the last one past the end, the first one for nonsense)."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def query(request: HttpRequest, **changes: Any) -> str:
    """The request's query string with ``changes`` (a None removes the key), "?…" or ""."""
    params = dict(request.GET.items())
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    return f"?{urlencode(params)}" if params else ""


def page_links(request: HttpRequest, page: Page, base: str) -> dict[str, str]:
    """The addresses of the pages before and after ``page`` ("" where there is none)."""
    return {
        "previous_url": base + query(request, page=page.previous_page_number()) if page.has_previous() else "",
        "next_url": base + query(request, page=page.next_page_number()) if page.has_next() else "",
    }
