"""A workbook that unpacks to far more than it weighs (a decompression bomb) is refused in
seconds, before openpyxl opens it, with a clear message and nothing written — from the
command line (exit 1), the upload page and the API (400) — and refusing it costs little
memory. The bounds: the unpacked total, the ratio of each part, the size and the number of
strings of the parts read whole, and the worksheet's longest stretch."""

from __future__ import annotations

import struct
import time
import tracemalloc
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from kaopei.facts.models import Customer
from kaopei.imports.importing import ImportFileError, open_table
from kaopei.imports.importing.package import PackageLimits, check_package
from kaopei.imports.models import ImportBatch
from tests.conftest import Personas

MB = 1024 * 1024
NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
CONTENT_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
    b'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
    b'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
    b'worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
ROOT_RELS = (
    b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    b'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    b"</Relationships>"
)
WORKBOOK = (
    b'<?xml version="1.0"?><workbook ' + NS + b' xmlns:r="http://schemas.openxmlformats.org/'
    b'officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/>'
    b"</sheets></workbook>"
)
WORKBOOK_RELS = (
    b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    b'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
SHEET = (
    b'<?xml version="1.0"?><worksheet ' + NS + b'><sheetData><row r="1"><c r="A1" t="s">'
    b'<v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row></sheetData></worksheet>'
)


def workbook(path: Path, strings: Iterable[bytes], *, sheet: Iterable[bytes] = (SHEET,)) -> Path:
    """A minimal .xlsx whose shared strings and first sheet are streamed from chunks."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        for name, chunks in (("xl/worksheets/sheet1.xml", sheet), ("xl/sharedStrings.xml",
                             [b'<?xml version="1.0"?><sst ' + NS + b">", *strings, b"</sst>"])):  # fmt: skip
            with archive.open(name, "w") as part:
                for chunk in chunks:
                    part.write(chunk)
    return path


def repeated(piece: bytes, total: int) -> Iterable[bytes]:
    chunk = piece * (MB // len(piece))
    for _ in range(total // len(chunk)):
        yield chunk


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """200 MB of shared strings deflated to well under 1 MB."""
    path = tmp_path_factory.mktemp("bomb") / "客户.xlsx"
    return workbook(path, repeated(b"<si><t>a</t></si>", 200 * MB))


def lying(path: Path, part: str, declared: int) -> Path:
    """Rewrite the ZIP directory so that ``part`` claims to unpack to ``declared`` bytes."""
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + name_length] == part.encode():
            struct.pack_into("<I", data, at + 24, declared)
        at = data.find(b"PK\x01\x02", at + 46)
    path.write_bytes(bytes(data))
    return path


def refusal(path: Path, limits: PackageLimits | None = None) -> str:
    with path.open("rb") as handle, pytest.raises(ImportFileError) as caught:
        check_package(handle, limits)
    return caught.value.code


# --- the bounds -----------------------------------------------------------------------------


def test_the_bomb_is_small_on_disk_and_refused_in_well_under_a_second(bomb: Path) -> None:
    assert bomb.stat().st_size < 2 * MB
    started = time.monotonic()
    with pytest.raises(ImportFileError) as caught:
        open_table(bomb)
    assert time.monotonic() - started < 1
    assert caught.value.code == "xlsx_ratio"
    assert "sharedStrings.xml" in str(caught.value)


def test_refusing_the_bomb_allocates_almost_nothing(bomb: Path) -> None:
    tracemalloc.start()
    try:
        with pytest.raises(ImportFileError):
            open_table(bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * MB


def test_shared_strings_above_their_size_limit_are_refused_even_at_a_modest_ratio(
    tmp_path: Path,
) -> None:
    path = workbook(tmp_path / "s.xlsx", repeated(b"<si><t>a</t></si>", 3 * MB))
    limits = PackageLimits(max_ratio=10_000, max_whole_part=2 * MB)
    assert refusal(path, limits) == "xlsx_part_too_large"


def test_too_many_shared_strings_are_refused_whatever_their_size(tmp_path: Path) -> None:
    path = workbook(tmp_path / "s.xlsx", repeated(b"<si/>", MB))
    limits = PackageLimits(max_ratio=10_000, max_whole_part=2 * MB)  # at most 131,072 strings
    assert refusal(path, limits) == "xlsx_too_complex"


def test_a_workbook_above_the_unpacked_total_is_refused(tmp_path: Path) -> None:
    path = workbook(tmp_path / "s.xlsx", [b"<si><t>a</t></si>"])
    assert refusal(path, PackageLimits(max_unpacked=1000)) == "xlsx_too_large"


def test_a_document_type_declaration_is_refused(tmp_path: Path) -> None:
    path = workbook(tmp_path / "s.xlsx", [b'<!DOCTYPE sst [<!ENTITY x "<si/><si/>">]>&x;'])
    assert refusal(path) == "xlsx_corrupt"


def test_a_part_that_streams_longer_than_its_directory_says_is_refused(tmp_path: Path) -> None:
    """ZIP headers can lie: a part claiming 1 KB that inflates to 50 MB is cut at 1 KB by the
    reader and fails its checksum — a damaged file, read in no time and little memory."""
    path = workbook(tmp_path / "s.xlsx", repeated(b"<si><t>a</t></si>", 50 * MB))
    lying(path, "xl/sharedStrings.xml", 1024)
    assert zipfile.ZipFile(path).getinfo("xl/sharedStrings.xml").file_size == 1024
    tracemalloc.start()
    try:
        with pytest.raises(ImportFileError) as caught:
            open_table(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert caught.value.code == "xlsx_corrupt"
    assert peak < 20 * MB


def test_a_worksheet_cell_of_megabytes_is_refused(tmp_path: Path, settings: Any) -> None:
    settings.IMPORT_MAX_UNPACK_RATIO = 10_000  # past the ratio, the stretch still counts
    head = b'<?xml version="1.0"?><worksheet ' + NS + b'><sheetData><row r="1"><c r="A1" '
    cell = b't="inlineStr"><is><t>'
    sheet = [head + cell, *repeated(b"x", 3 * MB), b"</t></is></c></row></sheetData></worksheet>"]
    path = workbook(tmp_path / "s.xlsx", [b"<si><t>a</t></si>"], sheet=sheet)
    with pytest.raises(ImportFileError) as caught:
        open_table(path, max_bytes=MB)
    assert caught.value.code == "xlsx_cell_too_large"


def test_an_ordinary_workbook_passes_the_bounds(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["customer_no", "name"])
    for i in range(20_000):
        sheet.append([f"C{i:05d}", f"客户{i}"])
    book.save(tmp_path / "ok.xlsx")
    with open_table(tmp_path / "ok.xlsx") as table:
        assert sum(1 for _ in table) == 20_000


# --- the command line, the upload page and the API --------------------------------------------


def test_the_command_line_refuses_the_bomb_with_exit_1_and_writes_nothing(
    personas: Personas, bomb: Path
) -> None:
    with pytest.raises(CommandError) as caught:
        call_command("import", "customers", str(bomb), "--lang", "en")
    assert caught.value.returncode == 1
    assert "decompression bomb" in str(caught.value)
    assert ImportBatch.objects.count() == 0 and Customer.objects.count() == 0


def test_the_command_line_says_it_in_chinese(personas: Personas, bomb: Path) -> None:
    with pytest.raises(CommandError) as caught:
        call_command("import", "customers", str(bomb), "--lang", "zh-hans")
    assert "解压炸弹" in str(caught.value)


def test_the_upload_page_refuses_the_bomb_and_keeps_nothing(
    personas: Personas, bomb: Path, media: Path
) -> None:
    hr = personas.client(personas.hr)
    hr.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    upload = SimpleUploadedFile(bomb.name, bomb.read_bytes())
    response = hr.post(reverse("facts:import_upload"), {"file": upload})
    assert response.status_code == 200  # the form again, with the error on the file
    assert "decompression bomb" in response.context["form"].errors["file"][0]
    assert ImportBatch.objects.count() == 0
    assert not any(p.is_file() for p in media.rglob("*"))


def test_the_api_refuses_the_bomb_with_400(personas: Personas, bomb: Path, media: Path) -> None:
    hr = personas.client(personas.hr)
    upload = SimpleUploadedFile(bomb.name, bomb.read_bytes())
    response = hr.post(
        "/api/v1/imports/customers", {"file": upload}, headers={"accept-language": "en"}
    )
    assert response.status_code == 400
    body: dict[str, Any] = response.json()
    assert "decompression bomb" in body["detail"]
    assert body["errors"] == [{"code": "xlsx_ratio"}]
    assert ImportBatch.objects.count() == 0
    assert not any(p.is_file() for p in media.rglob("*"))


def test_an_account_manager_cannot_upload_at_all(personas: Personas, bomb: Path) -> None:
    response = personas.client(personas.alice).post(
        "/api/v1/imports/customers", {"file": SimpleUploadedFile(bomb.name, b"x")}
    )
    assert response.status_code == 403


def test_a_bomb_already_stored_is_refused_when_previewed(
    personas: Personas, bomb: Path, media: Path
) -> None:
    """Stored before the bounds existed: the reader refuses it too."""
    target = media / "media" / "imports" / "old.xlsx"  # MEDIA_ROOT is media / "media"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(bomb.read_bytes())
    batch = ImportBatch.objects.create(
        kind="",
        file_name="old.xlsx",
        sha256="0",
        size=1,
        stored_file="imports/old.xlsx",
        status=ImportBatch.Status.UPLOADED,
    )
    hr = personas.client(personas.hr)
    hr.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = hr.get(reverse("facts:import_preview", args=[batch.pk]), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "decompression bomb" in page
