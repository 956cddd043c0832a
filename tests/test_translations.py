"""Every string of the catalogues is translated into Simplified Chinese, none is left fuzzy, and
the compiled catalogues say what the .po files say (`make messages` was run)."""

import gettext
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.po"))
CATALOGUES = [path for path in CATALOGUES if ".venv" not in path.parts]


def _entries(path: Path) -> list[dict]:
    """The entries of a .po file: msgid, msgid_plural, msgstr[...] and flags (a small reader, no gettext)."""
    entries, current, field = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if current is not None:
                entries.append(current)
            current, field = None, None
            continue
        current = current if current is not None else {"flags": set(), "msgstr": {}}
        if line.startswith("#,"):
            current["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif match := re.match(r'^(msgid|msgid_plural|msgctxt|msgstr(?:\[(\d+)\])?) "(.*)"$', line):
            keyword, index, text = match.groups()
            field = ("msgstr", int(index or 0)) if keyword.startswith("msgstr") else (keyword, None)
            _append(current, field, text)
        elif match := re.match(r'^"(.*)"$', line):
            _append(current, field, match.group(1))
    return [entry for entry in entries if entry.get("msgid")]  # the header has an empty msgid


def _append(entry: dict, field, text: str) -> None:
    name, index = field
    if name == "msgstr":
        entry["msgstr"][index] = entry["msgstr"].get(index, "") + text
    else:
        entry[name] = entry.get(name, "") + text


def test_there_are_catalogues():
    assert len(CATALOGUES) >= 2, CATALOGUES


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_string_has_its_chinese_and_none_is_fuzzy(path):
    entries = _entries(path)
    untranslated = [entry["msgid"] for entry in entries if not entry["msgstr"] or not all(entry["msgstr"].values())]
    fuzzy = [entry["msgid"] for entry in entries if "fuzzy" in entry["flags"]]

    assert untranslated == []
    assert fuzzy == []


ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unescape(text: str) -> str:
    """A .po string's C escapes (\\n, \\t, \\", \\\\) as the characters they stand for."""
    return re.sub(r"\\(.)", lambda match: ESCAPES.get(match.group(1), match.group(0)), text)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: str(path.relative_to(ROOT)))
def test_the_compiled_catalogue_says_what_its_source_says(path):
    with path.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)

    stale = []
    for entry in _entries(path):
        msgid = _unescape(entry["msgid"])
        context = entry.get("msgctxt")
        key = f"{_unescape(context)}\x04{msgid}" if context is not None else msgid
        if "msgid_plural" in entry:
            got = compiled.ngettext(key, _unescape(entry["msgid_plural"]), 1)
        else:
            got = compiled.gettext(key)
        if got != _unescape(entry["msgstr"][0]):
            stale.append(msgid)
    assert stale == [], "run `make messages` to compile the catalogues"
