"""Bounds on what an ``.xlsx`` may unpack to, checked before openpyxl opens it.

An xlsx is a ZIP of XML parts. openpyxl in ``read_only`` mode streams the worksheet, but it
reads every other part it needs whole — the shared strings (every text of the workbook),
the styles, the workbook and its relationships — into Python objects at about 5 to 650
times their XML size. A few MB of deflated XML can so take gigabytes (a "decompression
bomb"). :func:`check_package` refuses such a file from the ZIP directory and a streamed
scan, in seconds and without building anything:

1. the directory: the declared unpacked total (``IMPORT_MAX_UNPACKED_BYTES``) and, for every
   part above :data:`RATIO_GRACE_BYTES`, the compression ratio (``IMPORT_MAX_UNPACK_RATIO``;
   real worksheets pack 10–15 times, a bomb hundreds of times);
2. every part that is read whole (everything but the worksheets and media): its size
   (``IMPORT_MAX_SHARED_STRINGS_BYTES``), then a streamed scan that counts what openpyxl
   would build — the shared strings (at most one per :data:`BYTES_PER_STRING` bytes of the
   limit) and the elements of the other parts (:data:`MAX_OTHER_ELEMENTS`) — and refuses a
   document type declaration (entities could expand inside the parser).

Zip headers can lie, but Python's ``zipfile`` (which openpyxl uses) never unpacks more than
a part's declared size: a part that streams longer ends in a CRC error, reported as a
damaged file. The streamed scans count real bytes, and the worksheet itself is scanned in
:mod:`.xlsx` while it is checked for formulas.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from .errors import ImportFileError

MB = 1024 * 1024
CHUNK_BYTES = MB
DEFAULT_MAX_UNPACKED_BYTES = 1024 * MB
DEFAULT_MAX_UNPACK_RATIO = 100
DEFAULT_MAX_SHARED_STRINGS_BYTES = 32 * MB
# A part this small cannot be a bomb, whatever its ratio (Apache POI's grace is similar).
RATIO_GRACE_BYTES = MB
# The smallest real shared string, <si><t>a</t></si>, is 17 bytes.
BYTES_PER_STRING = 16
# Styles, workbook, relationships, properties together: Excel's most (64,000 cell formats)
# stays under this; openpyxl builds about 650 bytes per element.
MAX_OTHER_ELEMENTS = 300_000
SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)
# Parts openpyxl (read_only, without external links) never reads whole: the worksheets it
# streams or skips, and pictures.
_STREAMED_DIRS = ("xl/worksheets/", "xl/media/")
_SI_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")
_DTD_RE = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_OVERRIDE_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?Override\b[^>]*>")
_ATTR_RE = re.compile(rb'(PartName|ContentType)\s*=\s*["\']([^"\']*)["\']')


@dataclass(frozen=True)
class PackageLimits:
    """What one workbook may unpack to (see the module docstring)."""

    max_unpacked: int = DEFAULT_MAX_UNPACKED_BYTES
    max_ratio: int = DEFAULT_MAX_UNPACK_RATIO
    max_whole_part: int = DEFAULT_MAX_SHARED_STRINGS_BYTES

    @property
    def max_strings(self) -> int:
        return max(1, self.max_whole_part // BYTES_PER_STRING)


def package_limits() -> PackageLimits:
    """The limits from the settings when Django is configured, else the defaults."""
    from django.conf import settings

    if not settings.configured:
        return PackageLimits()
    return PackageLimits(
        max_unpacked=int(
            getattr(settings, "IMPORT_MAX_UNPACKED_BYTES", DEFAULT_MAX_UNPACKED_BYTES)
        ),
        max_ratio=int(getattr(settings, "IMPORT_MAX_UNPACK_RATIO", DEFAULT_MAX_UNPACK_RATIO)),
        max_whole_part=int(
            getattr(settings, "IMPORT_MAX_SHARED_STRINGS_BYTES", DEFAULT_MAX_SHARED_STRINGS_BYTES)
        ),
    )


def mb(size: int) -> str:
    return f"{size / MB:.1f}".removesuffix(".0")


def check_package(handle: IO[bytes], limits: PackageLimits | None = None) -> None:
    """Refuse the workbook in ``handle`` (a ZIP, already confirmed a spreadsheet package)
    if it could unpack to more than ``limits`` allow. Raises :class:`ImportFileError`
    (``xlsx_too_large``, ``xlsx_ratio``, ``xlsx_part_too_large``, ``xlsx_too_complex``,
    ``xlsx_corrupt``); leaves ``handle`` at its start."""
    limits = limits or package_limits()
    try:
        with zipfile.ZipFile(handle) as archive:
            infos = archive.infolist()
            _check_directory(infos, limits)
            shared = _shared_strings_parts(archive)
            elements = 0
            for info in infos:
                if info.is_dir():
                    continue
                streamed = (
                    info.filename.startswith(_STREAMED_DIRS) and "/_rels/" not in info.filename
                )
                if streamed and info.filename not in shared:
                    continue
                if info.file_size > limits.max_whole_part:
                    raise ImportFileError(
                        "xlsx_part_too_large",
                        part=info.filename,
                        size=mb(info.file_size),
                        limit=mb(limits.max_whole_part),
                    )
                if info.filename in shared:
                    _scan_shared_strings(archive, info, limits)
                else:
                    elements += _count_elements(archive, info, limits)
                    if elements > MAX_OTHER_ELEMENTS:
                        raise ImportFileError("xlsx_too_complex", limit=f"{MAX_OTHER_ELEMENTS:,}")
    except ImportFileError:
        raise
    except Exception as exc:  # BadZipFile, a CRC error, zlib.error …: a damaged package
        raise ImportFileError("xlsx_corrupt") from exc
    finally:
        handle.seek(0)


def _check_directory(infos: list[zipfile.ZipInfo], limits: PackageLimits) -> None:
    total = sum(info.file_size for info in infos)
    if total > limits.max_unpacked:
        raise ImportFileError("xlsx_too_large", limit=mb(limits.max_unpacked))
    for info in infos:
        packed = max(info.compress_size, 1)
        if info.file_size > RATIO_GRACE_BYTES and info.file_size > packed * limits.max_ratio:
            raise ImportFileError(
                "xlsx_ratio",
                part=info.filename,
                ratio=info.file_size // packed,
                limit=limits.max_ratio,
            )


def _shared_strings_parts(archive: zipfile.ZipFile) -> set[str]:
    """The parts declared as shared strings in ``[Content_Types].xml`` (openpyxl reads the
    first one, wherever it lies; the content types part is small and read bounded)."""
    try:
        with archive.open("[Content_Types].xml") as types:
            content = types.read(DEFAULT_MAX_SHARED_STRINGS_BYTES)
    except KeyError:
        return set()
    parts = set()
    for override in _OVERRIDE_RE.findall(content):
        attrs = {k.decode(): v.decode("utf-8", "replace") for k, v in _ATTR_RE.findall(override)}
        if attrs.get("ContentType", "").strip() == SHARED_STRINGS_TYPE:
            parts.add(attrs.get("PartName", "").lstrip("/"))
    return parts


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> Iterator[bytes]:
    """The part's bytes in chunks, refusing more than ``limit`` whatever the header says."""
    seen = 0
    with archive.open(info) as part:
        while chunk := part.read(CHUNK_BYTES):
            seen += len(chunk)
            if seen > limit:
                raise ImportFileError(
                    "xlsx_part_too_large", part=info.filename, size=mb(seen), limit=mb(limit)
                )
            yield chunk


def _scan_shared_strings(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: PackageLimits
) -> None:
    strings = 0
    tail = b""
    for chunk in _chunks(archive, info, limits.max_whole_part):
        window = tail + chunk
        if _DTD_RE.search(window):
            raise ImportFileError("xlsx_corrupt")
        # Count only matches starting in this chunk: the tail was counted before.
        strings += sum(1 for m in _SI_RE.finditer(window) if m.start() >= len(tail))
        if strings > limits.max_strings:
            raise ImportFileError("xlsx_too_complex", limit=f"{limits.max_strings:,}")
        tail = chunk[-16:]


def _count_elements(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: PackageLimits) -> int:
    count = 0
    tail = b""
    for chunk in _chunks(archive, info, limits.max_whole_part):
        if _DTD_RE.search(tail + chunk):
            raise ImportFileError("xlsx_corrupt")
        count += chunk.count(b"<")
        if count > MAX_OTHER_ELEMENTS:
            break
        tail = chunk[-16:]
    return count
