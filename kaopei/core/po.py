"""A small, dependency-free reader of gettext ``.po`` files and writer of ``.mo`` files.

It lets a fresh machine without GNU gettext compile the catalogues, and lets the test suite
check that every message has a translation.
"""

from __future__ import annotations

import ast
import struct
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False
    obsolete: bool = False

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values()) and not self.fuzzy


def parse_po(path: Path) -> list[Entry]:
    """Entries of a .po file (the header entry, msgid "", included first)."""
    entries: list[Entry] = []
    cur = Entry()
    section: tuple[str, int] | None = None
    started = False

    def flush() -> None:
        nonlocal cur, started
        if started:
            entries.append(cur)
        cur, started = Entry(), False

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
            section = None
            continue
        if line.startswith("#~"):
            cur.obsolete = True
            continue
        if line.startswith("#,"):
            if started and section is not None and section[0] == "msgstr":
                flush()
            cur.fuzzy = cur.fuzzy or "fuzzy" in line
            continue
        if line.startswith("#"):
            continue
        if line.startswith("msgctxt"):
            if started and section is not None and section[0] == "msgstr":
                flush()
            started = True
            cur.msgctxt = ast.literal_eval(line[7:].strip())
            section = ("msgctxt", 0)
        elif line.startswith("msgid_plural"):
            cur.msgid_plural = ast.literal_eval(line[12:].strip())
            section = ("msgid_plural", 0)
        elif line.startswith("msgid"):
            if started and section is not None and section[0] == "msgstr":
                flush()
            started = True
            cur.msgid = ast.literal_eval(line[5:].strip())
            section = ("msgid", 0)
        elif line.startswith("msgstr["):
            idx = int(line[7 : line.index("]")])
            cur.msgstr[idx] = ast.literal_eval(line[line.index("]") + 1 :].strip())
            section = ("msgstr", idx)
        elif line.startswith("msgstr"):
            cur.msgstr[0] = ast.literal_eval(line[6:].strip())
            section = ("msgstr", 0)
        elif line.startswith('"') and section is not None:
            text = ast.literal_eval(line)
            kind, idx = section
            if kind == "msgid":
                cur.msgid += text
            elif kind == "msgid_plural":
                cur.msgid_plural = (cur.msgid_plural or "") + text
            elif kind == "msgctxt":
                cur.msgctxt = (cur.msgctxt or "") + text
            else:
                cur.msgstr[idx] = cur.msgstr.get(idx, "") + text
    flush()
    return [e for e in entries if not e.obsolete]


def mo_bytes(entries: list[Entry]) -> bytes:
    """The GNU .mo encoding of the translated entries (fuzzy and empty ones left out)."""
    pairs: dict[bytes, bytes] = {}
    for e in entries:
        if e.msgid and not e.translated:
            continue
        key = e.msgid
        if e.msgctxt is not None:
            key = f"{e.msgctxt}\x04{key}"
        if e.msgid_plural is not None:
            key = f"{key}\x00{e.msgid_plural}"
            value = "\x00".join(e.msgstr[i] for i in sorted(e.msgstr))
        else:
            value = e.msgstr.get(0, "")
        pairs[key.encode()] = value.encode()
    keys = sorted(pairs)
    ids = strs = b""
    offsets = []
    for k in keys:
        offsets.append((len(ids), len(k), len(strs), len(pairs[k])))
        ids += k + b"\0"
        strs += pairs[k] + b"\0"
    n = len(keys)
    start_ids = 7 * 4
    start_strs = start_ids + n * 8
    data_start = start_strs + n * 8
    koffsets: list[int] = []
    voffsets: list[int] = []
    for o1, l1, o2, l2 in offsets:
        koffsets += [l1, o1 + data_start]
        voffsets += [l2, o2 + data_start + len(ids)]
    header = struct.pack("Iiiiiii", 0x950412DE, 0, n, start_ids, start_strs, 0, 0)
    return (
        header
        + struct.pack(f"{len(koffsets)}i", *koffsets)
        + struct.pack(f"{len(voffsets)}i", *voffsets)
        + ids
        + strs
    )


def compile_catalogues(locale_dir: Path) -> list[Path]:
    """Compile every ``LC_MESSAGES/*.po`` below ``locale_dir``; return the .mo files written."""
    written = []
    for po in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        data = mo_bytes(parse_po(po))
        if not mo.exists() or mo.read_bytes() != data:
            mo.write_bytes(data)
        written.append(mo)
    return written
