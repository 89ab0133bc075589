"""The upload policy of course materials (also used for toolkit files and competition
submission files): which files may be uploaded.

A file is accepted only when its extension is one of :data:`ALLOWED` **and** its content is
what that extension promises (a ``.pdf`` starts with ``%PDF-``; a ``.docx``, ``.xlsx`` or
``.pptx`` is a zip container holding the part that makes it a Word, Excel or PowerPoint
file; a picture has its format's signature; a text file is UTF-8 or GB18030 text; a video
is an MP4 ``ftyp`` box), it is not empty, and it is no larger than the setting
``TRAINING_MATERIAL_MAX_BYTES`` (20 MB by default). Anything else is refused with a message
that says exactly why; the caller stores nothing then.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

from kaopei.core.errors import ApplicationError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
SNIFF_BYTES = 8192


@dataclass(frozen=True)
class FileType:
    label: str  # how messages name the type
    content_type: str
    kind: str  # how the content is checked


ALLOWED: dict[str, FileType] = {
    ".pdf": FileType("PDF", "application/pdf", "pdf"),
    ".docx": FileType(
        "Word",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    ".xlsx": FileType(
        "Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"
    ),
    ".pptx": FileType(
        "PowerPoint",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pptx",
    ),
    ".png": FileType("PNG", "image/png", "png"),
    ".jpg": FileType("JPEG", "image/jpeg", "jpg"),
    ".jpeg": FileType("JPEG", "image/jpeg", "jpg"),
    ".txt": FileType("TXT", "text/plain; charset=utf-8", "text"),
    ".md": FileType("Markdown", "text/markdown; charset=utf-8", "text"),
    ".mp4": FileType("MP4", "video/mp4", "mp4"),
}

# The part that makes an Office Open XML zip what its extension says.
OFFICE_PARTS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}


def max_bytes() -> int:
    """The largest material accepted, in bytes (setting ``TRAINING_MATERIAL_MAX_BYTES``)."""
    return int(getattr(settings, "TRAINING_MATERIAL_MAX_BYTES", DEFAULT_MAX_BYTES))


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"


def allowed_extensions() -> str:
    """``.pdf, .docx, …`` for messages and the upload form's help text."""
    return ", ".join(ALLOWED)


def _office_ok(upload: IO[bytes], part: str) -> bool:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False
    return "[Content_Types].xml" in names and part in names


def _text_ok(upload: IO[bytes]) -> bool:
    upload.seek(0)
    data = upload.read()
    if b"\x00" in data:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def content_matches(kind: str, upload: IO[bytes]) -> bool:
    """Whether the file's bytes are of ``kind`` (see the module docstring)."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    if kind == "pdf":
        return head.startswith(b"%PDF-")
    if kind in OFFICE_PARTS:
        return head.startswith(b"PK\x03\x04") and _office_ok(upload, OFFICE_PARTS[kind])
    if kind == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if kind == "jpg":
        return head.startswith(b"\xff\xd8\xff")
    if kind == "mp4":
        return len(head) >= 12 and head[4:8] == b"ftyp"
    if kind == "text":
        return _text_ok(upload)
    return False


def clean_file_name(name: str) -> str:
    """The file's own name (no folders, no control characters), at most 200 characters."""
    base = os.path.basename(str(name).replace("\\", "/"))
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    if len(base) > 200:
        stem, ext = os.path.splitext(base)
        base = stem[: 200 - len(ext)] + ext
    return base


# What is uploaded, so that a refusal names it: a course's material, a toolkit item's
# file, a competition team's submission file.
MATERIAL = "material"
TOOLKIT = "toolkit"
SUBMISSION = "submission"


def _wrong_type_message(purpose: str) -> str:
    if purpose == TOOLKIT:
        return _("“%(name)s” is not a file type the toolkit accepts. Allowed: %(allowed)s.")
    if purpose == SUBMISSION:
        return _(
            "“%(name)s” is not a file type a competition submission accepts. Allowed: %(allowed)s."
        )
    return _("“%(name)s” is not a file type courses can hand out. Allowed: %(allowed)s.")


def _too_large_message(purpose: str) -> str:
    if purpose == TOOLKIT:
        return _("“%(name)s” is %(size)s MB; a toolkit file may be at most %(max)s MB.")
    if purpose == SUBMISSION:
        return _("“%(name)s” is %(size)s MB; a submission file may be at most %(max)s MB.")
    return _("“%(name)s” is %(size)s MB; a material may be at most %(max)s MB.")


def check_material(upload: Any, *, purpose: str = MATERIAL) -> FileType:
    """The type of an uploaded file that the policy accepts; otherwise an
    :class:`ApplicationError` saying which rule it breaks (type, disguise, size), naming
    what is uploaded (``purpose``: :data:`MATERIAL`, :data:`TOOLKIT` or
    :data:`SUBMISSION`)."""
    name = clean_file_name(getattr(upload, "name", "") or "")
    ext = os.path.splitext(name)[1].lower()
    file_type = ALLOWED.get(ext)
    if not name or file_type is None:
        raise ApplicationError(
            _wrong_type_message(purpose) % {"name": name or "?", "allowed": allowed_extensions()}
        )
    size = int(getattr(upload, "size", 0) or 0)
    if size <= 0:
        raise ApplicationError(_("“%(name)s” is empty.") % {"name": name})
    limit = max_bytes()
    if size > limit:
        raise ApplicationError(
            _too_large_message(purpose)
            % {"name": name, "size": _megabytes(size), "max": _megabytes(limit)}
        )
    try:
        ok = content_matches(file_type.kind, upload)
    finally:
        upload.seek(0)
    if not ok:
        raise ApplicationError(
            _(
                "“%(name)s” is not really a %(type)s file: its content does not match its "
                "%(ext)s extension. Save it again as %(type)s, or upload it with its real "
                "extension."
            )
            % {"name": name, "type": file_type.label, "ext": ext}
        )
    return file_type
