"""Builds the .docx templates in ``templates/docx/`` with python-docx.

The templates are code, not hand-edited Word files, so a change is reviewed as a
diff and the files are reproducible: ``python -m contracts.documents.templates``
rewrites them byte for byte the same (fixed zip timestamps and core properties),
and a test fails when the committed files differ from what this module builds.

One template per kind serves every language (see ``contracts.documents.labels``):
all wording is ``{{ labels.* }}`` or data from the context. Jinja tags are always
whole runs, so Word never splits them.

Chinese needs its own font slot: python-docx has no API for ``w:eastAsia``, so
``_set_fonts`` writes ``w:rFonts`` by hand on the document defaults, the styles and
every run: SimSun (宋体) for the body, SimHei (黑体) for titles and headings. Theme
font attributes are removed, since ``w:eastAsiaTheme`` would override ``w:eastAsia``.
"""

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

from docx import Document as new_document
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from contracts.documents.render import normalise_docx

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates" / "docx"

BODY_EAST_ASIA = "SimSun"  # 宋体
HEADING_EAST_ASIA = "SimHei"  # 黑体
LATIN = "Times New Roman"
LATIN_HEADING = "Arial"

BODY = "Concord Body"  # justified, first line indented two characters
FIELD = "Concord Field"  # "label: value" lines, no indent
CENTRED = "Concord Centred"
FIXED_TIME = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

_THEME_FONT_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def _set_fonts(r_pr, *, east_asia: str, latin: str) -> None:
    """Name the Latin and East Asian fonts on a ``w:rPr``, dropping theme fonts that would win."""
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attr in _THEME_FONT_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)


def _set_language(r_pr) -> None:
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _setup_styles(document: Document) -> None:
    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(r_pr, east_asia=BODY_EAST_ASIA, latin=LATIN)
    _set_language(r_pr)

    normal = styles["Normal"]
    normal.font.size = Pt(12)
    _set_fonts(normal.element.get_or_add_rPr(), east_asia=BODY_EAST_ASIA, latin=LATIN)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.3

    # 20 pt keeps a contract's title (enterprise, years, kind) on one or two full lines.
    for name, size in (("Title", 20), ("Heading 1", 16), ("Heading 2", 13)):
        style = styles[name]
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = RGBColor(0, 0, 0)
        _set_fonts(style.element.get_or_add_rPr(), east_asia=HEADING_EAST_ASIA, latin=LATIN_HEADING)
        # The stock Title has a coloured rule under it; a legal text does not.
        p_pr = style.element.find(qn("w:pPr"))
        if p_pr is not None and p_pr.find(qn("w:pBdr")) is not None:
            p_pr.remove(p_pr.find(qn("w:pBdr")))
        style.paragraph_format.space_before = Pt(12 if name != "Title" else 0)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True
    styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    styles["Heading 1"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER

    body = styles.add_style(BODY, WD_STYLE_TYPE.PARAGRAPH)
    body.base_style = normal
    body.paragraph_format.first_line_indent = Pt(24)
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    field = styles.add_style(FIELD, WD_STYLE_TYPE.PARAGRAPH)
    field.base_style = normal
    centred = styles.add_style(CENTRED, WD_STYLE_TYPE.PARAGRAPH)
    centred.base_style = normal
    centred.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _page_number_footer(document: Document) -> None:
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    r_pr = OxmlElement("w:rPr")
    _set_fonts(r_pr, east_asia=BODY_EAST_ASIA, latin=LATIN)
    run.append(r_pr)
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _new() -> Document:
    document = new_document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4
    section.top_margin = section.bottom_margin = Cm(2.54)
    section.left_margin = section.right_margin = Cm(3.17)
    _setup_styles(document)
    _page_number_footer(document)
    properties = document.core_properties
    properties.author = properties.last_modified_by = "Concord"
    properties.title = properties.subject = properties.comments = properties.keywords = ""
    properties.created = properties.modified = FIXED_TIME
    properties.revision = 1
    return document


def _para(
    container: Document | _Cell,
    *parts: str | tuple[str, str],
    style: str | None = None,
    heading: bool = False,
) -> Paragraph:
    """A paragraph of runs; a part ``("b", text)`` is bold. Every run names its fonts."""
    paragraph = container.add_paragraph(style=style)
    for part in parts:
        bold, text = (True, part[1]) if isinstance(part, tuple) else (False, part)
        run = paragraph.add_run(text)
        run.bold = bold or None
        _set_fonts(
            run._r.get_or_add_rPr(),
            east_asia=HEADING_EAST_ASIA if heading or bold else BODY_EAST_ASIA,
            latin=LATIN_HEADING if heading else LATIN,
        )
    return paragraph


def _tag(document: Document, tag: str) -> None:
    """A paragraph holding only a docxtpl paragraph tag (``{%p … %}``); it vanishes on rendering."""
    _para(document, "{%p " + tag + " %}")


def _page_break(document: Document) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _field(document: Document, label: str, value: str) -> None:
    _para(document, ("b", "{{ labels." + label + " }}{{ labels.colon }}"), value, style=FIELD)


def _table(document: Document, rows: list[tuple[str, ...]], *, first_bold: bool = True) -> None:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.style = "Table Grid"
    for row, texts in zip(table.rows, rows, strict=True):
        for column, (cell, text) in enumerate(zip(row.cells, texts, strict=True)):
            cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
            _para(cell, ("b", text) if first_bold and column == 0 else text)


def _signature_table(document: Document, rows: list[tuple[str, str]]) -> None:
    table = document.add_table(rows=len(rows), cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row, texts in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
            _para(cell, text)


def _paragraphs(document: Document, loop: str, item: str = "para") -> None:
    """One body paragraph per item of ``loop`` (a list of strings in the context)."""
    _tag(document, f"for {item} in {loop}")
    _para(document, "{{ " + item + " }}", style=BODY)
    _tag(document, "endfor")


def contract_template() -> Document:
    """Cover, parties, chapters of articles by category (PCC Art. 8 order, numbered down the page),
    the signature page with the congress approval (R6) and both chiefs' signing dates (R7), and the
    filing (R8) and review (R9) record once the contract has them."""
    document = _new()
    for _ in range(3):
        document.add_paragraph()
    _para(document, "{{ contract.title }}", style="Title", heading=True)
    _para(document, "{{ contract.kind_name }}", style=CENTRED)
    document.add_paragraph()
    _field(document, "party_union", "{{ enterprise.union_name }}")
    _field(document, "party_employer", "{{ enterprise.name }}")
    _field(document, "term", "{{ contract.term }}")
    _field(document, "version", "{{ contract.version }}")
    _page_break(document)

    _para(document, "{{ labels.parties }}", style="Heading 1", heading=True)
    _field(document, "party_union", "{{ enterprise.union_name }}")
    _field(document, "chief_representative", "{{ signatures.union.name }}")
    _field(document, "party_employer", "{{ enterprise.name }}")
    _field(document, "chief_representative", "{{ signatures.employer.name }}")
    _para(document, "{{ labels.preamble }}", style=BODY)

    _tag(document, "for chapter in chapters")
    _para(document, "{{ chapter.heading }}", style="Heading 1", heading=True)
    _tag(document, "for clause in chapter.clauses")
    _para(document, "{{ clause.heading }}", style="Heading 2", heading=True)
    _paragraphs(document, "clause.paragraphs")
    _tag(document, "endfor")
    _tag(document, "endfor")

    _page_break(document)
    _para(document, "{{ labels.signatures }}", style="Heading 1", heading=True)
    _tag(document, "if approval")
    _para(document, "{{ labels.approval }}", style="Heading 2", heading=True)
    _para(document, "{{ approval.line }}", style=BODY)
    _field(document, "rule_applied", "{{ approval.rule }}")
    document.add_paragraph()
    _tag(document, "endif")
    _signature_table(
        document,
        [
            ("{{ labels.party_union }}", "{{ labels.party_employer }}"),
            ("{{ enterprise.union_name }}", "{{ enterprise.name }}"),
            ("{{ labels.seal }}", "{{ labels.seal }}"),
            (
                "{{ labels.chief_representative }}{{ labels.colon }}{{ signatures.union.name }}",
                "{{ labels.chief_representative }}{{ labels.colon }}{{ signatures.employer.name }}",
            ),
            (
                "{{ labels.signed_on }}{{ labels.colon }}{{ signatures.union.date }}",
                "{{ labels.signed_on }}{{ labels.colon }}{{ signatures.employer.date }}",
            ),
        ],
    )
    _tag(document, "if filing or review")
    _para(document, "{{ labels.filing_review }}", style="Heading 1", heading=True)
    _tag(document, "if filing")
    _field(document, "filed_on", "{{ filing.filed_on }}")
    _field(document, "receipt_on", "{{ filing.receipt_on }}")
    _field(document, "rule_applied", "{{ filing.rule }}")
    _tag(document, "endif")
    _tag(document, "if review")
    _tag(document, "if review.deadline")
    _field(document, "review_deadline", "{{ review.deadline }}")
    _field(document, "effective_on", "{{ review.effective_on }}")
    _tag(document, "endif")
    _field(document, "objection", "{{ review.objection }}")
    _paragraphs(document, "review.objection_text")
    _field(document, "rule_applied", "{{ review.rule }}")
    _tag(document, "endif")
    _tag(document, "endif")
    return document


def minutes_template() -> Document:
    """Minutes of one consultation round (PCC Arts. 33–34), signed by both chiefs (R4)."""
    document = _new()
    _para(document, "{{ labels.minutes_title }}", style="Title", heading=True)
    _para(document, "{{ session.round }}", style=CENTRED)
    _field(document, "contract", "{{ contract.title }}")
    _field(document, "negotiation", "{{ negotiation.title }}")
    _field(document, "held_at", "{{ session.held_at }}")
    _field(document, "place", "{{ session.location }}")
    _field(document, "chaired_by", "{{ session.chaired_by }}")
    _para(document, "{{ labels.present }}", style="Heading 2", heading=True)
    _field(document, "union_side", "{{ attendees.union }}")
    _field(document, "employer_side", "{{ attendees.employer }}")
    _para(document, "{{ labels.agenda }}", style="Heading 2", heading=True)
    _tag(document, "for item in agenda")
    _para(document, "{{ loop.index }}. {{ item }}", style=FIELD)
    _tag(document, "endfor")
    _para(document, "{{ labels.record }}", style="Heading 2", heading=True)
    _paragraphs(document, "minutes")
    _para(document, "{{ labels.signatures }}", style="Heading 2", heading=True)
    _signature_table(
        document,
        [
            ("{{ labels.union_chief }}", "{{ labels.employer_chief }}"),
            ("{{ signatures.union.name }}", "{{ signatures.employer.name }}"),
            (
                "{{ labels.signed_on }}{{ labels.colon }}{{ signatures.union.date }}",
                "{{ labels.signed_on }}{{ labels.colon }}{{ signatures.employer.date }}",
            ),
        ],
    )
    return document


def resolution_template() -> Document:
    """The congress resolution on the draft (R6) with attendance and the vote counts."""
    document = _new()
    _para(document, "{{ labels.resolution_title }}", style="Title", heading=True)
    _para(document, "{{ enterprise.name }}", style=CENTRED)
    _para(document, "{{ resolution.intro }}", style=BODY)
    _para(document, "{{ labels.vote }}", style="Heading 2", heading=True)
    _table(
        document,
        [
            ("{{ labels.delegates_total }}", "{{ vote.delegates_total }}"),
            ("{{ labels.delegates_present }}", "{{ vote.present }}"),
            ("{{ labels.yes }}", "{{ vote.yes }}"),
            ("{{ labels.no }}", "{{ vote.no }}"),
            ("{{ labels.abstain }}", "{{ vote.abstain }}"),
            ("{{ labels.voting }}", "{{ vote.mode }}"),
            ("{{ labels.result }}", "{{ vote.outcome }}"),
        ],
    )
    document.add_paragraph()
    _para(document, ("b", "{{ resolution.decision }}"), style=BODY)
    _para(document, "{{ resolution.quorum }} {{ resolution.majority }}", style=BODY)
    _field(document, "rule_applied", "{{ rule.rule }} · {{ rule.article }}")
    document.add_paragraph()
    _para(document, "{{ enterprise.union_name }}", style=FIELD).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _para(document, "{{ resolution.date }}", style=FIELD).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return document


def rectification_notice_template() -> Document:
    """The union's notice to the employer to rectify a breach of the contract."""
    document = _new()
    _para(document, "{{ labels.notice_title }}", style="Title", heading=True)
    _field(document, "to", "{{ enterprise.name }}")
    _para(document, "{{ notice.intro }}", style=BODY)
    _table(
        document,
        [
            ("{{ labels.obligation }}", "{{ breach.term }}"),
            ("{{ labels.period }}", "{{ breach.period }}"),
            ("{{ labels.affected }}", "{{ breach.affected }}"),
            ("{{ breach.shortfall_label }}", "{{ breach.shortfall }}"),
            ("{{ labels.rule_applied }}", "{{ breach.rule }} · {{ breach.article }}"),
        ],
    )
    document.add_paragraph()
    _para(document, "{{ labels.notice_request }}", style=BODY)
    document.add_paragraph()
    signer = "{{ enterprise.union_name }}{{ labels.space }}{{ labels.seal }}"
    _para(document, signer, style=FIELD).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _para(document, "{{ notice.date }}", style=FIELD).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return document


BUILDERS: dict[str, tuple[str, Callable[[], Document]]] = {
    "contract": ("contract.docx", contract_template),
    "minutes": ("minutes.docx", minutes_template),
    "resolution": ("resolution.docx", resolution_template),
    "rectification_notice": ("rectification_notice.docx", rectification_notice_template),
}


def template_name(kind: str) -> str:
    """The template's name as stored on a document, e.g. ``docx/contract.docx``."""
    return f"docx/{BUILDERS[kind][0]}"


def template_path(kind: str) -> Path:
    return TEMPLATE_DIR / BUILDERS[kind][0]


def _slim(document: Document) -> None:
    """Drop what python-docx's stock package carries and no document here uses: about
    800 kB of unused style definitions (twice, with ``stylesWithEffects``), a thumbnail
    of an empty page and bibliography XML. Every render parses and zips the template,
    so this is most of the rendering time saved."""
    part = document.part
    for r_id, rel in list(part.rels.items()):
        if rel.reltype.endswith(("/stylesWithEffects", "/customXml")):
            part.drop_rel(r_id)
    package_rels = part.package.rels
    for r_id, rel in list(package_rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            package_rels.pop(r_id)

    styles = document.styles.element
    latent = styles.find(qn("w:latentStyles"))
    if latent is not None:
        styles.remove(latent)
    by_id = {style.get(qn("w:styleId")): style for style in styles.findall(qn("w:style"))}
    used = {style_id for style_id, style in by_id.items() if style.get(qn("w:default")) in ("1", "true")}
    for tag in ("w:pStyle", "w:rStyle", "w:tblStyle"):
        for element in document.element.iter(qn(tag)):
            used.add(element.get(qn("w:val")))
    keep: set[str] = set()
    while used:
        style_id = used.pop()
        if style_id in keep or style_id not in by_id:
            continue
        keep.add(style_id)
        for tag in ("w:basedOn", "w:link", "w:next"):
            linked = by_id[style_id].find(qn(tag))
            if linked is not None:
                used.add(linked.get(qn("w:val")))
    for style_id, style in by_id.items():
        if style_id not in keep:
            styles.remove(style)


def template_bytes(kind: str) -> bytes:
    """The template of ``kind`` as this module builds it (deterministic)."""
    document = BUILDERS[kind][1]()
    _slim(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return normalise_docx(buffer.getvalue())


def build_all(directory: Path = TEMPLATE_DIR) -> list[Path]:
    """Write every template into ``directory``; the same bytes every time."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, (filename, _builder) in BUILDERS.items():
        path = directory / filename
        path.write_bytes(template_bytes(kind))
        written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover
    for path in build_all():
        print(path)
