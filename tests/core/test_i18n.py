"""Both catalogues are complete: every message has a 中文 translation, the compiled .mo
matches the .po, and the .po holds every message the code uses."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from kaopei.core.po import mo_bytes, parse_po
from tests.conftest import require

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_message_has_a_chinese_translation() -> None:
    missing = [e.msgid for e in parse_po(PO) if e.msgid and not e.translated]
    assert missing == [], f"{len(missing)} untranslated, e.g. {missing[:5]}"


def test_translations_keep_the_placeholders_of_their_message() -> None:
    pattern = re.compile(r"%\(\w+\)[sd]|\{\w+\}")
    wrong = [
        e.msgid
        for e in parse_po(PO)
        if e.msgid
        for text in e.msgstr.values()
        if sorted(pattern.findall(e.msgid_plural or e.msgid)) != sorted(pattern.findall(text))
        and sorted(pattern.findall(e.msgid)) != sorted(pattern.findall(text))
    ]
    assert wrong == []


def test_compiled_catalogue_matches_the_po_file() -> None:
    assert PO.with_suffix(".mo").read_bytes() == mo_bytes(parse_po(PO)), (
        "run: kaopei compilecatalogues"
    )


def test_catalogue_holds_every_message_the_code_uses(tmp_path: Path) -> None:
    require(shutil.which("xgettext") is not None, "GNU gettext is not installed")
    for name in ("kaopei", "config", "locale"):
        shutil.copytree(
            ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo")
        )
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-location",
            "--no-obsolete",
        ],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "PYTHONPATH": str(tmp_path),
            "KAOPEI_DATA_DIR": str(tmp_path / "var"),
        },
    )
    fresh = {(e.msgctxt, e.msgid) for e in parse_po(tmp_path / PO.relative_to(ROOT)) if e.msgid}
    known = {(e.msgctxt, e.msgid) for e in parse_po(PO) if e.msgid}
    assert sorted(fresh - known, key=str) == [], "run makemessages and translate the new messages"
