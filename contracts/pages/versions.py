"""The versions of a contract in a page: every version with its change, who made it and when,
and two versions compared side by side, clause by clause, as a redline (``contract_redline``,
the same diff the API's ``diff/`` gives, worded for people)."""

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from config.errors import DomainError
from config.pages import domain_error
from contracts import selectors
from contracts.models import Contract
from contracts.services.versions import contract_redline, contract_version_list, version_change_text


class CompareForm(forms.Form):
    """The two versions compared, as the GET form sends them (the older first; two sent the
    other way round are swapped); whether they exist is the service's to say."""

    from_ = forms.IntegerField(label=_("Older version"), min_value=1)
    to = forms.IntegerField(label=_("Newer version"), min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword: the field is named from_ and sent as "from".
        self.fields["from"] = self.fields.pop("from_")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        older, newer = data.get("from"), data.get("to")
        if older is not None and newer is not None:
            if older == newer:
                raise forms.ValidationError(_("Those are the same version: choose two different versions."))
            data["from"], data["to"] = min(older, newer), max(older, newer)
        return data


def _versions(contract: Contract) -> list[dict[str, Any]]:
    return [
        {"version": version, "change": version_change_text(version)}
        for version in contract_version_list(contract=contract)
    ]


def _picked(sent: str | None, numbers: list[int], default: int | None) -> int | None:
    """The version a list shows picked: the one sent, if it is one of the contract's."""
    return int(sent) if sent is not None and sent.isascii() and sent.isdigit() and int(sent) in numbers else default


def _form_error(form: CompareForm) -> dict[str, Any]:
    """A bad choice as the page says it: two equal versions by name, anything else as one plea."""
    message = (
        form.non_field_errors()[0] if form.non_field_errors() else _("Choose two versions of this contract to compare.")
    )
    return {"message": message, "rule": None}


@login_required
def contract_versions(request: HttpRequest, pk: int) -> HttpResponse:
    """Every version, and two compared: those asked for, else the latest with the one before."""
    contract: Contract = get_object_or_404(selectors.contract_list(user=request.user), pk=pk)
    versions = _versions(contract)
    numbers = sorted(row["version"].number for row in versions)
    defaults = {"from": numbers[-2], "to": numbers[-1]} if len(numbers) > 1 else {}
    asked = "from" in request.GET or "to" in request.GET
    redline, error, status, choice = None, None, 200, defaults
    if asked:
        form = CompareForm({**defaults, **request.GET.dict()})
        choice = form.cleaned_data if form.is_valid() else {}
        if not choice:
            error, status = _form_error(form), 400
    if choice:
        try:
            redline = contract_redline(contract=contract, from_number=choice["from"], to_number=choice["to"])
        except DomainError as refusal:
            error, status = domain_error(refusal), refusal.status_code
    if redline:
        chosen = {"from": redline["from"].number, "to": redline["to"].number}
    else:  # the lists keep what was picked, where it is a version to pick
        chosen = {name: _picked(request.GET.get(name), numbers, defaults.get(name)) for name in ("from", "to")}
    return render(
        request,
        "contracts/versions.html",
        {
            "contract": contract,
            "versions": versions,
            "numbers": numbers,
            "chosen": chosen,
            "redline": redline,
            "error": error,
        },
        status=status,
    )


urlpatterns = [path("contracts/<int:pk>/versions/", contract_versions, name="contract_versions")]
