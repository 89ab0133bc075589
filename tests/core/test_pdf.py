"""The domain-free PDF document: Chinese printed with the shipped font (embedded, so no
system CJK font is needed), wrapped to the width, text extractable."""

from __future__ import annotations

import io
import socket
from pathlib import Path

import pypdf
import pytest

import kaopei
from kaopei.core.pdf import FONT_PATH, FONT_POSTSCRIPT_NAME, Document


def text_of(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_the_font_is_the_one_shipped_with_kaopei() -> None:
    assert FONT_PATH.is_file()
    assert Path(kaopei.__file__).parent in FONT_PATH.parents


def test_chinese_goes_in_and_comes_out_and_the_font_is_embedded(monkeypatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("a PDF must not reach the network")

    monkeypatch.setattr(socket, "create_connection", no_network)
    doc = Document(title="成绩单")
    doc.add_page()
    doc.text_block("安丽 · 需求挖掘：SPIN 提问法", size=16, bold=True)
    doc.text_block("Mixed 中文 and English text")
    data = doc.to_bytes()
    text = text_of(data)
    assert "安丽 · 需求挖掘：SPIN 提问法" in text
    assert "Mixed 中文 and English text" in text
    page = pypdf.PdfReader(io.BytesIO(data)).pages[0]
    fonts = [f.get_object() for f in page["/Resources"]["/Font"].values()]
    assert len(fonts) == 1  # bold is drawn, not a second font
    assert FONT_POSTSCRIPT_NAME in str(fonts[0]["/BaseFont"])
    descriptor = fonts[0]["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
    assert "/FontFile2" in descriptor


@pytest.mark.parametrize("text", ["长" * 90, "word " * 60])
def test_long_text_wraps_to_the_width(text: str) -> None:
    doc = Document()
    doc.add_page()
    lines = doc.wrap_lines(text, width=60, size=11)
    assert len(lines) > 1
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_a_landscape_document_is_wider_than_tall() -> None:
    doc = Document(orientation="landscape")
    doc.add_page()
    page = pypdf.PdfReader(io.BytesIO(doc.to_bytes())).pages[0]
    assert page.mediabox.width > page.mediabox.height
