"""PDF documents that print Chinese on any machine (domain-free: certificates, report cards).

Built on fpdf2 (pure Python) with the font shipped in ``kaopei/core/fonts`` (WenQuanYi Micro
Hei, Apache-2.0), embedded as a subset in every document: nothing depends on the fonts of
the machine, and nothing is fetched from the network (this module loads no image, font or
URL other than the shipped file).

Usage::

    doc = Document(orientation="landscape", title="…")
    doc.add_page()
    doc.text_block("结业证书", size=28, bold=True, align="C")
    data = doc.to_bytes()
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

from fpdf import FPDF
from fpdf.enums import TextMode, WrapMode, XPos, YPos

FONT_PATH = Path(__file__).resolve().parent / "fonts" / "wqy-microhei.ttf"
FONT_FAMILY = "kaopei-cjk"
# The name the font declares, as it appears (after a subset prefix) in a PDF's BaseFont.
FONT_POSTSCRIPT_NAME = "WenQuanYiMicroHei"

Align = Literal["L", "C", "R", "J"]
Orientation = Literal["portrait", "landscape"]

# Points → millimetres (fpdf2 font sizes are in points, positions in millimetres).
PT = 25.4 / 72


class Document(FPDF):
    """An A4 document (millimetres) with the shipped CJK font registered and selected.

    ``bold`` text is the same font drawn with a thin outline (the font has no bold face), so
    headings stand out without a second font in the file.
    """

    def __init__(
        self,
        *,
        orientation: Orientation = "portrait",
        title: str = "",
        author: str = "Kaopei",
        margin: float = 15,
    ) -> None:
        super().__init__(orientation="L" if orientation == "landscape" else "P", format="A4")
        self.add_font(FONT_FAMILY, "", str(FONT_PATH))
        self.set_font(FONT_FAMILY, size=11)
        self.set_margins(margin, margin, margin)
        self.set_auto_page_break(auto=True, margin=margin)
        self.set_creator("Kaopei")
        self.set_author(author)
        if title:
            self.set_title(title)
        # Readers that honour it show the title rather than a file name.
        self.set_display_mode(zoom="fullpage")

    @property
    def content_width(self) -> float:
        return float(self.w - self.l_margin - self.r_margin)

    @contextmanager
    def style(
        self,
        *,
        size: float | None = None,
        bold: bool = False,
        color: tuple[int, int, int] | None = None,
    ) -> Iterator[None]:
        """Draw with another size, colour or weight inside the block, then restore."""
        kwargs: dict[str, object] = {}
        if size is not None:
            kwargs["font_size_pt"] = size
        if color is not None:
            kwargs["text_color"] = color
        if bold:
            kwargs["text_mode"] = TextMode.FILL_STROKE
            kwargs["line_width"] = (size or self.font_size_pt) * PT * 0.03
            if color is not None:
                kwargs["draw_color"] = color
        with self.local_context(**kwargs):
            yield

    def text_block(
        self,
        text: str,
        *,
        size: float | None = None,
        bold: bool = False,
        align: Align = "L",
        color: tuple[int, int, int] | None = None,
        width: float = 0,
        line_height: float | None = None,
    ) -> None:
        """Write ``text`` as a paragraph wrapped to ``width`` (0: the whole line), then move
        to the next line at the left margin. Chinese, which has no spaces, wraps between
        characters; text with spaces wraps between words."""
        with self.style(size=size, bold=bold, color=color):
            height = line_height or self.font_size_pt * PT * 1.45
            wrap = WrapMode.WORD if " " in text.strip() else WrapMode.CHAR
            self.multi_cell(
                width,
                height,
                text,
                align=align,
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
                wrapmode=wrap,
            )

    def wrap_lines(self, text: str, *, width: float, size: float | None = None) -> list[str]:
        """The lines ``text`` would take at ``width`` millimetres (nothing is drawn)."""
        with self.style(size=size):
            wrap = WrapMode.WORD if " " in text.strip() else WrapMode.CHAR
            lines = self.multi_cell(width, 5, text, dry_run=True, output="LINES", wrapmode=wrap)
        return [str(line) for line in lines]  # type: ignore[union-attr]

    def to_bytes(self) -> bytes:
        return bytes(self.output())


__all__ = ["FONT_FAMILY", "FONT_PATH", "FONT_POSTSCRIPT_NAME", "Document"]
