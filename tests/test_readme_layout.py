"""The README's layout table names every entry of each folder it describes, and nothing else."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IGNORED = {"__init__.py", "__pycache__"}


def _layout_rows() -> dict[str, set[str]]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Layout", 1)[1]
    rows = {}
    for folder, holds in re.findall(r"^\| `([^`]+/)` \| [^|]+ \| (.+) \|$", section, flags=re.M):
        rows[folder] = set(re.findall(r"`([^`]+)`", holds))
    return rows


def _listing(folder: str) -> set[str]:
    entries = set()
    for entry in (ROOT / folder).iterdir():
        if entry.name in IGNORED or entry.name.startswith("."):
            continue
        entries.add(entry.name + "/" if entry.is_dir() else entry.name)
    return entries


def test_the_layout_describes_every_app_and_room_of_contracts():
    rows = _layout_rows()

    apps = ("config/", "bargaining/", "contracts/", "notifications/")
    for folder in (*apps, "templates/", "static/", "tests/", "bench/"):
        assert folder in rows
    for room in ("enterprises/", "rules/", "compliance/"):
        assert f"contracts/{room}" in rows


def test_each_row_holds_what_ls_of_its_folder_shows():
    for folder, holds in _layout_rows().items():
        assert holds == _listing(folder), folder
