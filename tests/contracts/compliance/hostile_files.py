"""Hostile payroll files built on the fly (for tests/contracts/compliance/test_hostile_uploads.py and
bench/hostile_upload.py): a zip bomb XLSX, one small file that expands to about 1.2 GB."""

import struct
import zlib
from pathlib import Path

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006"
_CHUNK = b"A" * (16 << 20)


def _parts(sheet_xml: str) -> dict[str, bytes]:
    return {
        "[Content_Types].xml": (
            f'<Types xmlns="{_PKG}/content-types"><Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/></Types>'
        ).encode(),
        "_rels/.rels": (
            f'<Relationships xmlns="{_PKG}/relationships"><Relationship Id="rId1" '
            f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ).encode(),
        "xl/workbook.xml": (
            f'<workbook {_NS} xmlns:r="{_REL}"><sheets><sheet name="工资" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ).encode(),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{_PKG}/relationships">'
            f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
        ).encode(),
        "xl/worksheets/sheet1.xml": f"<worksheet {_NS}><sheetData>{sheet_xml}</sheetData></worksheet>".encode(),
    }


def _entry(name: str, pieces, *, repeat: int = 1) -> tuple[bytes, bytes, int, int]:
    """(local header + deflated data, name, crc, uncompressed size) of one entry; ``pieces`` is
    (head, body, tail) with ``body`` repeated ``repeat`` times, deflated once and its output repeated
    (a full flush resets the compressor, so each copy of the body compresses to the same bytes)."""
    head, body, tail = pieces
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = deflate.compress(head) + deflate.flush(zlib.Z_FULL_FLUSH)
    if repeat:
        block = deflate.compress(body) + deflate.flush(zlib.Z_FULL_FLUSH)
        data += block * repeat
    data += deflate.compress(tail) + deflate.flush()
    crc = zlib.crc32(head)
    for _ in range(repeat):
        crc = zlib.crc32(body, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + len(body) * repeat + len(tail)
    encoded = name.encode()
    header = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x800, 8, 0, 0x21, crc, len(data), size, len(encoded), 0)
    return header + encoded + data, encoded, crc, size


def bomb_xlsx(path: Path, *, expanded_mb: int = 1152, declared: int | None = None) -> Path:
    """An XLSX of about 1.2 MB whose one shared string (the header cell A1) is ``expanded_mb`` MiB of "A".

    ``declared``: the size its zip headers claim for that part instead (a lying directory)."""
    repeat = expanded_mb // 16
    entries = [
        (name, (content, b"", b""), 0)
        for name, content in _parts('<row r="1"><c r="A1" t="s"><v>0</v></c></row>').items()
    ]
    entries.append(
        (
            "xl/sharedStrings.xml",
            (f'<sst {_NS} count="1" uniqueCount="1"><si><t>'.encode(), _CHUNK, b"</t></si></sst>"),
            repeat,
        )
    )
    out, directory = bytearray(), bytearray()
    for name, pieces, count in entries:
        local, encoded, crc, size = _entry(name, pieces, repeat=count)
        compressed = len(local) - 30 - len(encoded)
        if count and declared is not None:
            size = declared
            local = local[:22] + struct.pack("<I", size) + local[26:]
        directory += (
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0x800,
                8,
                0,
                0x21,
                crc,
                compressed,
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                len(out),
            )
            + encoded
        )
        out += local
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(directory), len(out), 0)
    path.write_bytes(bytes(out + directory + end))
    return path
