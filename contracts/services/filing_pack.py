"""R8: the pack the employer files with the labour administration, as one archive.

It holds the contract as signed, the congress resolution with attendance and
votes, the list of representatives and the signed minutes of every round
(PCC Art. 42; the local lists of filing materials, e.g. Beijing Art. 46).
"""

import io
import zipfile

from django.conf import settings
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from config.spreadsheets import csv_bytes
from contracts.documents.context import contract_context, minutes_context, resolution_context, resolution_session
from contracts.documents.negotiation_records import negotiation_records
from contracts.documents.render import render_docx
from contracts.documents.templates import template_path
from contracts.enterprises.access import may_read_confidential
from contracts.errors import ContractNotSigned, UnknownLanguage
from contracts.models import Contract, ContractStatus

FILEABLE = {ContractStatus.SIGNED, ContractStatus.FILED, ContractStatus.EFFECTIVE, ContractStatus.EXPIRED}


def _representatives_csv(negotiation_id: int | None) -> bytes:
    """Name, side, position and role of each representative, as a spreadsheet opens it (UTF-8 with
    BOM; a name that begins like a formula stays text)."""
    rows: list[list[object]] = [[_("Side"), _("Name"), _("Position"), _("Role"), _("Left office on")]]
    if negotiation_id is not None:
        for person in negotiation_records().representative_list(negotiation_id=negotiation_id):
            role = _("chief representative") if person.is_chief else (_("outside expert") if person.is_external else "")
            rows.append([person.side_label, person.name, person.position, role, person.vacated_on or ""])
    return csv_bytes(rows)


def _signed_rounds(negotiation_id: int | None) -> list[tuple[int, int]]:
    if negotiation_id is None:
        return []
    return negotiation_records().signed_round_ids(negotiation_id=negotiation_id)


def contract_filing_pack(*, user, contract: Contract, language: str = "zh-hans") -> tuple[str, bytes]:
    """The filing archive's file name and bytes; only a signed (or later) contract has one.

    The pack names the representatives and holds the signed minutes: it is read by
    ``CONFIDENTIAL_READERS``; anyone else gets the 404 of a contract that does not exist."""
    if not may_read_confidential(user=user, enterprise=contract.enterprise):
        raise Http404(_("No such contract."))
    if language not in dict(settings.LANGUAGES):
        languages = [code for code, _name in settings.LANGUAGES]
        raise UnknownLanguage(
            _("Documents are written in %(list)s.") % {"list": ", ".join(languages)}, extra={"languages": languages}
        )
    if contract.status not in FILEABLE:
        raise ContractNotSigned(_("Only a contract signed by both chief representatives can be filed."))
    buffer = io.BytesIO()
    with translation.override(language), zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            f"1-{_('contract')}.docx",
            render_docx(template_path("contract"), contract_context(contract=contract, language=language)),
        )
        session = resolution_session(contract=contract)
        if session is not None:
            context = resolution_context(contract=contract, language=language, session_id=session.pk)
            archive.writestr(f"2-{_('congress resolution')}.docx", render_docx(template_path("resolution"), context))
        archive.writestr(f"3-{_('representatives')}.csv", _representatives_csv(contract.negotiation_id))
        for session_id, round_no in _signed_rounds(contract.negotiation_id):
            context = minutes_context(contract=contract, session_id=session_id, language=language)
            archive.writestr(f"4-{_('minutes')}-{round_no}.docx", render_docx(template_path("minutes"), context))
    return f"filing-pack-{contract.pk}-v{contract.version}.zip", buffer.getvalue()
