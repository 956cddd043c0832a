"""Rendering is a pure function: (template, context) → .docx bytes.

No database, no settings, no clock: the same template and context give the same
bytes (the zip entries get a fixed timestamp), so a document's checksum says
whether its content changed. Values are escaped (``autoescape=True``), so ``&``
and ``<`` in a clause's text are printed as written instead of breaking the XML.
"""

import io
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined, Template

# 1980-01-01, the earliest time a zip entry can carry: no build or render time leaks in.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def normalise_docx(data: bytes) -> bytes:
    """The same package with every entry's timestamp fixed, so equal content gives equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


class _CompilingOnceEnvironment(Environment):
    """docxtpl compiles each part's XML on every render; the XML of a template never
    changes, so its compiled form is kept (a third of the rendering time)."""

    MAX_TEMPLATES = 256

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._compiled: dict[str, Template] = {}

    def from_string(self, source, globals=None, template_class=None):
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        compiled = self._compiled.get(source)
        if compiled is None:
            if len(self._compiled) >= self.MAX_TEMPLATES:
                self._compiled.clear()
            compiled = self._compiled[source] = super().from_string(source)
        return compiled


# StrictUndefined: a typo in a template or a context builder fails loudly instead of printing nothing.
_ENVIRONMENT = _CompilingOnceEnvironment(autoescape=True, undefined=StrictUndefined)


def render_docx(template: Path | str | bytes, context: Mapping[str, Any]) -> bytes:
    """Fill ``template`` (a path or the .docx bytes) with ``context``; a missing variable is an error."""
    source = io.BytesIO(template) if isinstance(template, bytes) else template
    document = DocxTemplate(source)
    document.render(dict(context), jinja_env=_ENVIRONMENT, autoescape=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return normalise_docx(buffer.getvalue())
