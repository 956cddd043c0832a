"""The "API tokens" page: the logged-in user's own tokens, a new one shown once, revoked one by
one or all at once (the same services as the API, config/auth/tokens.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from config.auth.tokens import token_issue, token_prefix, token_revoke, tokens_of, tokens_revoke_all

app_name = "auth_pages"


def _page(request: HttpRequest, *, new_token: str = "") -> HttpResponse:
    rows = [{"token": token, "prefix": token_prefix(token)} for token in tokens_of(request.user)]
    return render(request, "registration/tokens.html", {"rows": rows, "new_token": new_token})


@never_cache
@login_required
@require_GET
def tokens(request: HttpRequest) -> HttpResponse:
    return _page(request)


@never_cache
@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    # Shown on this answer only (not after a redirect): only its digest is kept.
    _instance, secret = token_issue(request.user)
    return _page(request, new_token=secret)


@login_required
@require_POST
def token_delete(request: HttpRequest, token_id: str) -> HttpResponse:
    if not token_revoke(request.user, token_id):
        raise Http404
    messages.success(request, _("The token is revoked: it no longer works."))
    return redirect("auth_pages:tokens")


@login_required
@require_POST
def tokens_delete_all(request: HttpRequest) -> HttpResponse:
    count = tokens_revoke_all(request.user)
    messages.success(
        request,
        ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count) % {"count": count},
    )
    return redirect("auth_pages:tokens")


urlpatterns = [
    path("accounts/tokens/", tokens, name="tokens"),
    path("accounts/tokens/new/", token_create, name="token_create"),
    path("accounts/tokens/revoke-all/", tokens_delete_all, name="tokens_delete_all"),
    path("accounts/tokens/<str:token_id>/revoke/", token_delete, name="token_delete"),
]
