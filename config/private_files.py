"""Where private files (payroll uploads, their columnar copies, generated documents) are stored.

Every stored name is ``<area>/<enterprise id>/<random 128-bit hex>.<ext>``: nothing in it can be
guessed from another (not the order of uploads, not the name the file was uploaded as, which
the model keeps in its own field). These files are never served by a static or media handler
(``config/urls.py`` has no media route, whatever ``DEBUG`` says); people get them back only
through views that check the user's enterprise and answer 404 to anyone else.
"""

import re
import uuid
from pathlib import PurePath

_EXTENSION = re.compile(r"^\.[a-z0-9]{1,8}$")


def private_name(area: str, enterprise_id: object, filename: str = "", *, extension: str = "") -> str:
    """``<area>/<enterprise id>/<uuid4 hex><ext>``; the extension (lower case, at most 8 letters or digits)
    is ``extension`` when given, else the one of ``filename`` when it is that short, else none."""
    ext = extension or PurePath(filename).suffix.casefold()
    if not _EXTENSION.match(ext):
        ext = ""
    return f"{area}/{int(str(enterprise_id)) if enterprise_id is not None else 0}/{uuid.uuid4().hex}{ext}"


def payroll_upload_to(instance, filename: str) -> str:
    """``upload_to`` of a payroll import's uploaded file."""
    return private_name("payroll", instance.enterprise_id, filename)


def payroll_columnar_upload_to(instance, filename: str) -> str:
    """``upload_to`` of a payroll import's columnar copy (the import service names it the same way)."""
    return private_name("payroll", instance.enterprise_id, extension=".parquet")


def document_upload_to(instance, filename: str) -> str:
    """``upload_to`` of a generated document's .docx and PDF."""
    enterprise_id = instance.contract.enterprise_id if instance.contract_id else None
    return private_name("documents", enterprise_id, filename)


def private_file_response(stored, filename: str):
    """A stored private file (a ``FieldFile``) as a download named ``filename``; 404 when it is gone.
    The caller has already checked the user may have it."""
    from django.http import FileResponse, Http404

    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except (FileNotFoundError, ValueError) as missing:
        raise Http404 from missing
    return FileResponse(handle, as_attachment=True, filename=filename)
