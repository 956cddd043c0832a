"""The alerts inbox and the notification preferences as pages.

The inbox lists the user's own alerts (``alert_list``: unread first, then newest), each worded
as its e-mail words it (``rendering.alert_item``); marking read goes through the same services
as the API, under htmx in place, without script by a reload. Opening an alert from the inbox
(a POST: it marks the alert read) goes on to what it is about, a page of this site only."""

from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from config.errors import DomainError
from config.pages import domain_error
from notifications.forms import AlertFilterForm, PreferenceForm
from notifications.models import Alert
from notifications.rendering import alert_item
from notifications.selectors import alert_list, alert_unread_count
from notifications.services import alert_mark_read, alerts_mark_all_read, preference_get, preference_update

app_name = "notifications"

PAGE_SIZE = 50


def _site_path(request: HttpRequest, link: str) -> str | None:
    """``link`` if it is a path of this site ("/contracts/7/"), else None: an alert never sends
    anyone elsewhere, whatever its link says."""
    if not link.startswith("/") or link.startswith("//"):
        return None
    if not url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return None
    return link


def _back(request: HttpRequest) -> str:
    """Where a button of the inbox returns to: the inbox as the user had filtered it."""
    inbox = reverse("notifications:alerts")
    back = request.POST.get("next") or ""
    return back if back.startswith(inbox) and _site_path(request, back) else inbox


def _own_alert(request: HttpRequest, pk: int) -> Alert:
    """The user's alert; anyone else's is a 404, like an id that does not exist."""
    return get_object_or_404(alert_list(user=request.user), pk=pk)


def _summary(request: HttpRequest) -> dict[str, Any]:
    return {"unread_count": alert_unread_count(user=request.user)}


def _inbox(request: HttpRequest, query: QueryDict, back: str) -> dict[str, Any]:
    """The inbox's context for the filters and page in ``query``; its buttons come back to ``back``."""
    form = AlertFilterForm(query)
    filters = form.filters()
    page = Paginator(alert_list(user=request.user, **filters), PAGE_SIZE).get_page(query.get("page"))
    return {
        "form": form,
        "filtered": any(value is not None for value in filters.values()),
        "page": page,
        "items": [alert_item(alert) for alert in page],
        "back": back,
        **_summary(request),
    }


@login_required
@never_cache  # coming back from an alert's page shows it read, not the page as it was
def alert_index(request):
    return render(request, "notifications/pages/alerts.html", _inbox(request, request.GET, request.get_full_path()))


@login_required
@require_POST
def alert_read(request, pk: int):
    """One alert read: under htmx its row comes back read (and the counts with it)."""
    alert = alert_mark_read(user=request.user, alert=_own_alert(request, pk))
    if request.htmx:
        context = {**alert_item(alert), "back": _back(request), "oob": True, **_summary(request)}
        return render(request, "notifications/pages/_alert_read.html", context)
    return redirect(f"{_back(request)}#alert-{alert.pk}")


@login_required
@require_POST
def alerts_read_all(request):
    """Every unread alert of the user read: under htmx the inbox comes back in place, as filtered."""
    marked = alerts_mark_all_read(user=request.user)
    notice = ngettext("%(n)s alert marked read.", "%(n)s alerts marked read.", marked) % {"n": marked} if marked else ""
    back = _back(request)
    if request.htmx:
        context = {**_inbox(request, QueryDict(urlsplit(back).query), back), "notice": notice}
        return render(request, "notifications/pages/_inbox_read.html", context)
    if notice:
        messages.success(request, notice)
    return redirect(back)


@login_required
@require_POST
def alert_open(request, pk: int):
    """The alert is read once opened; on to what it is about (a page of this site), or back to the inbox."""
    alert = alert_mark_read(user=request.user, alert=_own_alert(request, pk))
    return redirect(_site_path(request, alert.link) or reverse("notifications:alerts"))


@login_required
def preferences(request):
    """Immediate e-mails or a daily digest, the levels e-mailed, the language of the e-mails."""
    preference = preference_get(user=request.user)
    form = PreferenceForm(request.POST or None, initial=PreferenceForm.initial_for(preference))
    error, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            try:
                preference_update(user=request.user, **form.preference_fields())
            except DomainError as refusal:
                error, status = domain_error(refusal), refusal.status_code
            else:
                messages.success(request, _("Your notification preferences are saved."))
                return redirect("notifications:preferences")
        else:
            status = 400
    return render(
        request,
        "notifications/pages/preferences.html",
        {"form": form, "error": error, "preference": preference},
        status=status,
    )


urlpatterns = [
    path("alerts/", alert_index, name="alerts"),
    path("alerts/read-all/", alerts_read_all, name="alerts_read_all"),
    path("alerts/<int:pk>/read/", alert_read, name="alert_read"),
    path("alerts/<int:pk>/open/", alert_open, name="alert_open"),
    path("alerts/preferences/", preferences, name="preferences"),
]
