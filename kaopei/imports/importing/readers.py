"""Readers: an uploaded ``.csv`` or ``.xlsx`` file → a :class:`Table` of rows (DESIGN.md §4.2 ⚑).

Contract of :func:`open_table`:

- The type is the extension's (``.csv`` or ``.xlsx``, any case), confirmed from the content:
  an xlsx is a ZIP holding a spreadsheet ``[Content_Types].xml``; a CSV is text. Otherwise
  ``wrong_content`` ("the file is not what its extension says").
- Files larger than ``settings.IMPORT_MAX_BYTES`` (default 200 MB) are refused before parsing,
  and so is an xlsx that could unpack to more than the bounds of :mod:`.package`
  (``IMPORT_MAX_UNPACKED_BYTES``, ``IMPORT_MAX_UNPACK_RATIO``,
  ``IMPORT_MAX_SHARED_STRINGS_BYTES``): a decompression bomb never reaches openpyxl.
- CSV: UTF-8 with BOM, UTF-8 or GB18030 (what Chinese Excel saves), decided on the first
  non-ASCII bytes; delimiter ``,``, tab or ``;`` sniffed from the header. Rows are streamed,
  never loaded whole. Cells are ``str``.
- xlsx: the first worksheet, read with openpyxl ``read_only=True, data_only=True``; cells
  keep native types. When the sheet has formulas, a second streaming pass with
  ``data_only=False`` runs in step to mark formula cells without a cached value as
  :class:`~.cells.Uncalculated`; Excel error values become :class:`~.cells.ExcelErrorValue`.
- The header is the first non-blank row. Rows carry their spreadsheet row number (header =
  row 1 in a normal file); blank rows are skipped but keep the numbering.
- Every failure is an :class:`ImportFileError`, raised by :func:`open_table` (``file_empty``,
  ``no_data_rows`` …) or while iterating (``decode_failed``, ``malformed_csv``,
  ``xlsx_corrupt``). Nothing else escapes for bad input.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import tempfile
import zipfile
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING

from .errors import (
    DETECTED_BINARY,
    DETECTED_IMAGE,
    DETECTED_PDF,
    DETECTED_TEXT,
    DETECTED_XLS,
    DETECTED_XLSX,
    DETECTED_ZIP,
    ImportFileError,
)
from .package import check_package
from .table import Record, Table, start_table
from .xlsx import open_xlsx

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
SAMPLE_BYTES = 64 * 1024
CHUNK_BYTES = 1024 * 1024
DELIMITERS = (",", "\t", ";")
ENCODINGS = {"utf-8-sig": "UTF-8 with BOM", "utf-8": "UTF-8", "gb18030": "GB18030"}

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_NON_ASCII_RE = re.compile(rb"[\x80-\xff]")

Source = str | os.PathLike[str] | IO[bytes]


def max_file_bytes() -> int:
    """``settings.IMPORT_MAX_BYTES`` when Django is configured, else 200 MB."""
    from django.conf import settings

    if settings.configured:
        return int(getattr(settings, "IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))
    return DEFAULT_MAX_BYTES


def open_table(
    source: Source, filename: str | None = None, *, max_bytes: int | None = None
) -> Table:
    """Open ``source`` (a path or a binary file object, read from its start) as a Table.

    ``filename`` (default: the path's or file object's name) decides the expected type.
    ``max_bytes`` overrides the size setting. A file object stays open (the caller owns it);
    a path is opened and closed here. Raises :class:`ImportFileError`.
    """
    if filename is None:
        raw_name = source if isinstance(source, str | os.PathLike) else getattr(source, "name", "")
        filename = os.path.basename(os.fspath(raw_name)) if raw_name else ""
    filename = str(filename)
    ext = os.path.splitext(filename)[1].lower().lstrip(".")
    if ext not in ("csv", "xlsx"):
        raise ImportFileError("unsupported_extension", filename=filename)
    limit = max_file_bytes() if max_bytes is None else max_bytes
    handle, owned = _open_binary(source, filename, limit)
    try:
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        handle.seek(0)
        if size > limit:
            raise ImportFileError("file_too_large", size=_mb(size), limit=_mb(limit))
        if size == 0:
            raise ImportFileError("file_empty")
        head = handle.read(SAMPLE_BYTES)
        handle.seek(0)
        if ext == "xlsx":
            _confirm_xlsx(handle, filename, head, limit)
            return open_xlsx(handle, owned, filename)
        return _open_csv(handle, owned, filename, head)
    except BaseException:
        if owned:
            handle.close()
        raise


def check_upload(path: str | os.PathLike[str]) -> None:
    """Refuse a stored upload that is a workbook bigger unpacked than the bounds of
    :mod:`.package` (a decompression bomb), before anything else reads it. Any other
    problem (not a workbook, damaged) is left for :func:`open_table` to report. Raises
    :class:`ImportFileError`."""
    if os.path.splitext(os.fspath(path))[1].lower() != ".xlsx":
        return
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below
    except OSError:
        return
    with handle:
        if handle.read(4) not in _ZIP_MAGIC or _zip_kind(handle) != "xlsx":
            return
        check_package(handle)


# ------------------------------------------------------------------------------- common


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0")


def _open_binary(source: Source, filename: str, limit: int) -> tuple[IO[bytes], bool]:
    """A seekable binary handle on the whole source, and whether we own (must close) it."""
    if isinstance(source, str | os.PathLike):
        try:
            return open(source, "rb"), True  # noqa: SIM115 - closed by the Table
        except OSError:
            raise ImportFileError("file_not_found", filename=filename) from None
    if isinstance(source, io.TextIOBase):
        raise TypeError("open_table() needs a binary file object")
    if source.seekable():
        source.seek(0)
        return source, False
    # A stream (a pipe, a socket): spool it, refusing to copy more than the limit.
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    copied = 0
    while chunk := source.read(CHUNK_BYTES):
        copied += len(chunk)
        if copied > limit:
            spool.close()
            raise ImportFileError("file_too_large", size=_mb(copied), limit=_mb(limit))
        spool.write(chunk)
    spool.seek(0)
    return spool, True  # type: ignore[return-value]


def _zip_kind(handle: IO[bytes]) -> str:
    """``xlsx`` for a spreadsheet package, ``zip`` for another ZIP, ``damaged`` if unreadable."""
    try:
        with zipfile.ZipFile(handle) as archive:
            try:
                with archive.open("[Content_Types].xml") as types:
                    content = types.read(SAMPLE_BYTES)
            except KeyError:
                return "zip"
    except Exception:  # BadZipFile, zlib.error, EOFError …: any failure means damaged
        return "damaged"
    finally:
        handle.seek(0)
    return "xlsx" if b"spreadsheetml" in content or b"ms-excel" in content else "zip"


def _detected(head: bytes, handle: IO[bytes]) -> StrOrPromise | None:
    """What the content really is, as a message phrase; ``None`` for text."""
    if head.startswith(_ZIP_MAGIC):
        return DETECTED_XLSX if _zip_kind(handle) == "xlsx" else DETECTED_ZIP
    if head.startswith(_OLE_MAGIC):
        return DETECTED_XLS
    if head.startswith(b"%PDF"):
        return DETECTED_PDF
    if head.startswith(_IMAGE_MAGIC):
        return DETECTED_IMAGE
    if head.startswith(_UTF16_BOMS):
        return None
    return DETECTED_BINARY if b"\x00" in head else None


def _confirm_xlsx(handle: IO[bytes], filename: str, head: bytes, limit: int) -> None:
    """Refuse a .xlsx that is not a spreadsheet package, or that unpacks to too much."""
    if not head.startswith(_ZIP_MAGIC):
        detected = _detected(head, handle) or DETECTED_TEXT
        raise ImportFileError("wrong_content", filename=filename, ext="xlsx", detected=detected)
    kind = _zip_kind(handle)
    if kind == "damaged":
        raise ImportFileError("xlsx_corrupt")
    if kind == "zip":
        raise ImportFileError("wrong_content", filename=filename, ext="xlsx", detected=DETECTED_ZIP)
    check_package(handle)  # a decompression bomb is refused before openpyxl opens it


# ---------------------------------------------------------------------------------- CSV


def _open_csv(handle: IO[bytes], owned: bool, filename: str, head: bytes) -> Table:
    detected = _detected(head, handle)
    if detected is not None:
        raise ImportFileError("wrong_content", filename=filename, ext="csv", detected=detected)
    encoding = _csv_encoding(handle, head)
    handle.seek(0)
    delimiter = _sniff_delimiter(head.decode(encoding, errors="replace"))
    text = io.TextIOWrapper(handle, encoding=encoding, newline="")

    def release() -> None:
        if owned:
            text.close()
        else:
            text.detach()  # leave the caller's file object open

    records = _csv_records(text, delimiter, ENCODINGS[encoding])
    return start_table(
        filename, "csv", records, release, encoding=ENCODINGS[encoding], delimiter=delimiter
    )


def _csv_encoding(handle: IO[bytes], head: bytes) -> str:
    """UTF-8 with BOM, UTF-8 or GB18030, judged on the first 64 KiB from the first non-ASCII
    byte (an English header does not decide it)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith(_UTF16_BOMS):
        raise ImportFileError("encoding_unsupported", encoding="UTF-16")
    offset = 0
    while chunk := handle.read(CHUNK_BYTES):
        match = _NON_ASCII_RE.search(chunk)
        if match is None:
            offset += len(chunk)
            continue
        handle.seek(offset + match.start())
        window = handle.read(SAMPLE_BYTES)
        at_end = len(window) < SAMPLE_BYTES
        for encoding in ("utf-8", "gb18030"):
            try:
                codecs.getincrementaldecoder(encoding)().decode(window, final=at_end)
            except UnicodeDecodeError:
                continue
            return encoding
        raise ImportFileError("encoding", tried=", ".join(ENCODINGS.values()))
    return "utf-8"  # pure ASCII


def _sniff_delimiter(sample: str) -> str:
    """The candidate delimiter that splits the header into the most fields (``,`` on ties)."""
    best, best_width = ",", 1
    for delimiter in DELIMITERS:
        width = 0
        try:
            for record in csv.reader(io.StringIO(sample), delimiter=delimiter):
                if any(cell.strip() for cell in record):
                    width = len(record)
                    break
        except csv.Error:
            continue
        if width > best_width:
            best, best_width = delimiter, width
    return best


def _csv_records(text: io.TextIOWrapper, delimiter: str, encoding: str) -> Iterator[Record]:
    reader = csv.reader(text, delimiter=delimiter)
    number = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError as exc:
            raise ImportFileError("decode_failed", encoding=encoding, row=number + 1) from exc
        except csv.Error as exc:
            raise ImportFileError("malformed_csv", row=number + 1) from exc
        number += 1
        yield number, tuple(record)


# --------------------------------------------------------------------------------- xlsx
