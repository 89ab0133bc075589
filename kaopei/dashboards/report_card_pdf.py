"""The PDF report card (portrait A4, on :mod:`kaopei.core.pdf`) and its trend chart as SVG.

:func:`trend_svg` builds the chart of a person's totals over past cycles as SVG text (no
text inside: the figures are printed under the chart as a table, in the PDF and on the
page alike); the PDF embeds it with fpdf2's SVG support and the preview page inlines it.
:func:`report_card_pdf` draws one :class:`~kaopei.dashboards.report_card.ReportCard` in a
language; :func:`number` is how every figure is printed (tests compare with it).
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import io
import logging
import os
import tempfile
import threading
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from fontTools import ttLib
from fpdf.fonts import SubsetMap, TTFFont

from kaopei.core.pdf import FONT_PATH, Document
from kaopei.dashboards.report_card import ReportCard, TrendPoint

INK = (33, 37, 41)
ACCENT = (139, 26, 26)
MUTED = (108, 117, 125)
RULE = (206, 212, 218)
SVG_WIDTH = 600
SVG_HEIGHT = 160
PAD = 16
DASH = "—"


def number(value: Decimal | None, *, places: int | None = None) -> str:
    """A figure as printed on the card: ``places`` decimals when given (totals, points),
    else the value without trailing zeros; a dash for no value."""
    if value is None:
        return DASH
    if places is not None:
        return f"{value:.{places}f}"
    text = format(value.normalize(), "f")
    return text


def percent(ratio: Decimal | None) -> str:
    if ratio is None:
        return DASH
    return f"{ratio * 100:.1f}%"


def trend_svg(points: Sequence[TrendPoint], *, title: str = "", sized: bool = True) -> str:
    """The totals of ``points`` (oldest first) as an SVG line chart, 600 × 160 units, with a
    dot per cycle (the last one, this cycle, larger); an empty frame when nothing has a
    total. Plain SVG 1.1 shapes only, so fpdf2 and browsers draw it the same. ``sized``
    False leaves out the width and height (a page scales it to its box)."""
    values = [(i, p.total) for i, p in enumerate(points) if p.total is not None]
    top = max([Decimal(100), *(v for _i, v in values)])
    n = max(len(points), 1)
    step = (SVG_WIDTH - 2 * PAD) / max(n - 1, 1)

    def x(i: int) -> float:
        return PAD + (i * step if n > 1 else (SVG_WIDTH - 2 * PAD) / 2)

    def y(v: Decimal) -> float:
        return SVG_HEIGHT - PAD - float(v / top) * (SVG_HEIGHT - 2 * PAD)

    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" '
        + (f'width="{SVG_WIDTH}" height="{SVG_HEIGHT}" ' if sized else "")
        + f'viewBox="0 0 {SVG_WIDTH} {SVG_HEIGHT}" role="img" class="kp-trend">',
    ]
    if title:
        parts.append(f"<title>{_escape(title)}</title>")
    parts.append(
        f'<rect x="0.5" y="0.5" width="{SVG_WIDTH - 1}" height="{SVG_HEIGHT - 1}" '
        'fill="#ffffff" stroke="#ced4da" stroke-width="1"/>'
    )
    for level in (Decimal(60), Decimal(80), Decimal(100)):
        yy = y(level)
        parts.append(
            f'<line x1="{PAD}" y1="{yy:.1f}" x2="{SVG_WIDTH - PAD}" y2="{yy:.1f}" '
            'stroke="#e9ecef" stroke-width="1"/>'
        )
    if len(values) > 1:
        coords = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in values)
        parts.append(f'<polyline points="{coords}" fill="none" stroke="#8b1a1a" stroke-width="3"/>')
    for i, v in values:
        radius = 7 if i == len(points) - 1 else 4.5
        parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="{radius}" fill="#8b1a1a"/>')
    parts.append("</svg>")
    return "".join(parts)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- The font: the shipped one, reduced to the common characters for speed ------------------

log = logging.getLogger(__name__)
_FONT_LOCK = threading.Lock()
_REDUCED: dict[str, Path | None] = {}


def common_codepoints() -> set[int]:
    """ASCII, Latin-1 and Latin Extended-A, general and CJK punctuation, full-width forms,
    letter-like symbols and every character of GB 2312 (6,763 hanzi): what cards print."""
    chars = set(range(0x20, 0x7F)) | set(range(0xA0, 0x180)) | set(range(0x2000, 0x2070))
    chars |= set(range(0x2100, 0x2200)) | set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFFF0))
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(ord(bytes([high, low]).decode("gb2312")))
    return chars


def reduced_font() -> Path | None:
    """The shipped font subset to :func:`common_codepoints` (8,000 of its 49,500 glyphs,
    without glyph names or hinting), built once and kept in the temporary folder: a document
    loads it about three times faster. None if it cannot be built (the full font is used)."""
    stat = FONT_PATH.stat()
    key = hashlib.sha256(f"{stat.st_size}-{stat.st_mtime_ns}-1".encode()).hexdigest()[:16]
    with _FONT_LOCK:
        if key in _REDUCED:
            return _REDUCED[key]
        path = Path(tempfile.gettempdir()) / "kaopei-fonts" / f"wqy-microhei-gb-{key}.ttf"
        try:
            if not path.is_file():
                from fontTools import subset, ttLib

                path.parent.mkdir(parents=True, exist_ok=True)
                font = ttLib.TTFont(str(FONT_PATH))
                options = subset.Options()
                options.glyph_names = False
                options.hinting = False
                options.name_IDs = ["*"]
                options.layout_features = []
                subsetter = subset.Subsetter(options)
                subsetter.populate(unicodes=common_codepoints())
                subsetter.subset(font)
                handle, temp = tempfile.mkstemp(dir=path.parent, suffix=".ttf")
                os.close(handle)
                font.save(temp)
                os.replace(temp, path)
            found: Path | None = path
        except Exception:  # noqa: BLE001 - the full font always works
            log.exception("could not build the reduced font; using the full font")
            found = None
        _REDUCED[key] = found
        return found


_MASTERS: dict[tuple[str, str], tuple[Any, bytes]] = {}


def _master_font(doc: Any, path: Path, fontkey: str, style: str) -> tuple[Any, bytes]:
    with _FONT_LOCK:
        found = _MASTERS.get((str(path), fontkey))
        if found is None:
            found = (TTFFont(doc, path, fontkey, style), path.read_bytes())
            _MASTERS[(str(path), fontkey)] = found
        return found


class CardDocument(Document):
    """A :class:`Document` drawn with another file of the same font (the reduced one)."""

    def __init__(self, *, font_file: Path, **kwargs: Any) -> None:
        self._font_file = font_file
        super().__init__(**kwargs)

    def add_font(self, family: Any = None, style: str = "", fname: Any = None, **kw: Any) -> None:
        if fname != str(FONT_PATH) or kw:
            super().add_font(family, style, fname, **kw)
            return
        # The font's metrics are read once per process (the master); each document gets a
        # copy with its own subset and a fresh font file object for its own subsetting.
        fontkey = f"{str(family).lower()}{style}"
        master, data = _master_font(self, self._font_file, fontkey, style)
        font = copy.copy(master)
        font.i = len(self.fonts) + 1
        font.ttfont = ttLib.TTFont(io.BytesIO(data), recalcTimestamp=False, lazy=True)
        font.subset = SubsetMap(font)
        font.missing_glyphs = []
        font.biggest_size_pt = 0
        font._hbfont = None
        font.color_font = None
        self.fonts[fontkey] = font

    @property
    def missing_glyphs(self) -> bool:
        return any(getattr(font, "missing_glyphs", None) for font in self.fonts.values())


# --- Drawing ---------------------------------------------------------------------------------


class _Card:
    """Draws one card on a document."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc

    def heading(self, text: str) -> None:
        doc = self.doc
        doc.ln(3)
        if doc.get_y() > doc.h - 40:
            doc.add_page()
        doc.text_block(text, size=12.5, bold=True, color=ACCENT)
        doc.set_draw_color(*RULE)
        doc.set_line_width(0.3)
        doc.line(doc.l_margin, doc.get_y(), doc.w - doc.r_margin, doc.get_y())
        doc.ln(1.5)

    def row(
        self,
        cells: Sequence[str],
        widths: Sequence[float],
        *,
        header: bool = False,
        aligns: Sequence[str] = (),
    ) -> None:
        doc = self.doc
        height = 6.2
        if doc.get_y() + height > doc.h - doc.b_margin:
            doc.add_page()
        size = 8.5 if header else 9.5
        color = MUTED if header else INK
        with doc.style(size=size, color=color):
            for i, (text, width) in enumerate(zip(cells, widths, strict=True)):
                align = aligns[i] if i < len(aligns) else "L"
                # A name too long for its column is shortened, never drawn over the next.
                while text and doc.get_string_width(text) > width - 1.5:
                    text = text[:-2] + "…"
                doc.cell(width, height, text, align=align)  # type: ignore[arg-type]
        doc.ln(height)
        if header:
            doc.set_draw_color(*RULE)
            doc.line(doc.l_margin, doc.get_y(), doc.w - doc.r_margin, doc.get_y())


def report_card_pdf(*, card: ReportCard, language: str) -> bytes:
    """The PDF of ``card`` in ``language`` ("zh-hans" or "en"). The card's names should
    have been gathered in the same language (``translation.override``)."""
    with translation.override(language):
        title = _("Report card %(no)s %(cycle)s") % _names(card)
        reduced = reduced_font()
        if reduced is not None:
            fast = CardDocument(font_file=reduced, title=title, margin=15)
            draw_card(fast, card)
            if not fast.missing_glyphs:
                return fast.to_bytes()
        # A character outside the common set (a rare name): the whole font.
        doc = Document(title=title, margin=15)
        draw_card(doc, card)
        return doc.to_bytes()


def _names(card: ReportCard) -> dict[str, str]:
    return {"no": card.employee_no, "cycle": card.cycle_code, "name": card.name}


def draw_card(doc: Document, card: ReportCard) -> None:
    """Draw ``card`` from a new page of ``doc`` (in the active language)."""
    draw = _Card(doc)
    doc.add_page()
    width = doc.content_width
    doc.text_block(_("Performance report card"), size=18, bold=True, color=ACCENT)
    doc.text_block(
        f"{card.name}  ·  {card.employee_no}  ·  {card.cycle_code}",
        size=14,
        bold=True,
        color=INK,
    )
    status = _("final") if card.final else _("provisional")
    facts = [
        (_("Unit"), card.unit or DASH),
        (_("Job level"), card.level or DASH),
        (
            _("Cycle"),
            f"{card.cycle_code} ({card.cycle_start.isoformat()} – {card.cycle_end.isoformat()})",
        ),
        (_("Status"), status),
    ]
    with doc.style(size=9.5, color=INK):
        for label, value in facts:
            with doc.style(color=MUTED):
                doc.cell(28, 5.5, label)
            doc.cell(width - 28, 5.5, value)
            doc.ln(5.5)
    doc.ln(2)
    grade = card.grade + (f" · {card.grade_label}" if card.grade_label else "")
    doc.text_block(
        _("Grade %(grade)s    Total %(total)s")
        % {"grade": grade, "total": number(card.total, places=2)},
        size=15,
        bold=True,
        color=INK,
    )
    if not card.final:
        doc.text_block(
            _("Provisional: the cycle is not final yet; the grade may still change."),
            size=9,
            color=MUTED,
        )
    if card.veto:
        doc.text_block(
            _("Veto: %(reason)s") % {"reason": card.veto}, size=10, bold=True, color=ACCENT
        )

    draw.heading(_("Scorecard lines"))
    widths = [width * f for f in (0.34, 0.15, 0.15, 0.12, 0.1, 0.14)]
    aligns = ["L", "R", "R", "R", "R", "R"]
    draw.row(
        [_("Metric"), _("Actual"), _("Target"), _("Attainment"), _("Weight"), _("Points")],
        widths,
        header=True,
        aligns=aligns,
    )
    for line in card.lines:
        draw.row(
            [
                line.metric_name,
                number(line.actual) if line.has_data else _("no data"),
                number(line.target),
                percent(line.attainment),
                number(line.weight),
                number(line.points, places=2),
            ],
            widths,
            aligns=aligns,
        )

    draw.heading(_("Gap to the next grade"))
    if card.gaps:
        doc.text_block(
            _("Any one of these changes, all else equal, reaches grade %(grade)s:")
            % {"grade": card.next_grade},
            size=9.5,
            color=INK,
        )
        for gap in card.gaps:
            doc.text_block(
                _("%(metric)s: from %(actual)s to %(needed)s (%(delta)s)")
                % {
                    "metric": gap.metric_name,
                    "actual": number(gap.actual),
                    "needed": number(gap.needed),
                    "delta": ("+" if gap.delta > 0 else "") + number(gap.delta),
                },
                size=9.5,
                color=INK,
            )
    else:
        doc.text_block(
            _("No single change of one metric reaches a better grade."), size=9.5, color=MUTED
        )

    draw.heading(_("Trend of the total"))
    if card.trend:
        if doc.get_y() + 55 > doc.h - doc.b_margin:
            doc.add_page()
        svg = trend_svg(card.trend)
        doc.image(
            io.BytesIO(svg.encode()), x=doc.l_margin, w=width, h=width * SVG_HEIGHT / SVG_WIDTH
        )
        n = len(card.trend)
        cols = [width / n] * n
        draw.row([p.cycle_code for p in card.trend], cols, header=True, aligns=["C"] * n)
        draw.row(
            [f"{number(p.total, places=2)} {p.grade}" for p in card.trend],
            cols,
            aligns=["C"] * n,
        )
    else:
        doc.text_block(_("No earlier cycle."), size=9.5, color=MUTED)

    draw.heading(_("360-degree feedback"))
    if card.feedback_state == "none":
        doc.text_block(_("No 360 round in this cycle."), size=9.5, color=MUTED)
    elif card.feedback_state == "open":
        doc.text_block(
            _("The 360 round of this cycle is not closed: no summary yet."),
            size=9.5,
            color=MUTED,
        )
    elif not card.feedback:
        doc.text_block(_("No 360 figures to show."), size=9.5, color=MUTED)
    else:
        widths = [width * f for f in (0.46, 0.16, 0.24, 0.14)]
        aligns = ["L", "R", "R", "R"]
        draw.row(
            [
                _("Competency"),
                pgettext("360 group", "Self"),
                _("Others (responses)"),
                _("Expected"),
            ],
            widths,
            header=True,
            aligns=aligns,
        )
        for item in card.feedback:
            others = (
                f"{number(item.others_mean, places=2)} ({item.others_responses})"
                if item.others_mean is not None
                else DASH
            )
            draw.row(
                [
                    item.competency,
                    number(item.self_mean, places=2),
                    others,
                    str(item.expected) if item.expected is not None else DASH,
                ],
                widths,
                aligns=aligns,
            )
        doc.text_block(
            _("Only figures the person's 360 report shows are printed (anonymity rules)."),
            size=8,
            color=MUTED,
        )

    draw.heading(_("Development goals and actions"))
    if card.development:
        for action in card.development:
            doc.text_block(
                _("By %(date)s: %(text)s")
                % {"date": action.due_on.isoformat(), "text": action.text},
                size=9.5,
                color=INK,
            )
    else:
        doc.text_block(_("No open goal or action."), size=9.5, color=MUTED)
