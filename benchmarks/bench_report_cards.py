"""PDF report cards in a batch against WeasyPrint rendering the same content.

On the scoring benchmark's data (``benchmarks/scale_data.py``, cycle 2026Q1 scored here):

- Kaopei: the batch as the job runs it (:func:`write_cards_zip`): set-based data gathering
  plus one fpdf2 PDF per card, into a zip — timed from the first query to the last byte;
- the baseline: each card's HTML (the print version of the preview page, with the same
  shipped CJK font) is rendered to an HTML file first (not timed), then WeasyPrint writes a
  PDF from each file (timed, one shared font configuration, as a batch would).

The ratio Kaopei / WeasyPrint is printed; target ≤ 1.3.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/kaopei_bench_cards \\
      .venv/bin/python benchmarks/bench_report_cards.py --cards 1000 [--reuse] [--lang zh-hans]

WeasyPrint is in the optional ``bench`` extra (``pip install -e '.[bench]'``); it needs the
Pango system libraries (Debian: ``apt-get install libpango-1.0-0 libpangoft2-1.0-0
libharfbuzz-subset0``). Without it the script times Kaopei alone and says so.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import peak_rss_mb, setup_django  # noqa: E402

INSTALL_HINT = (
    "WeasyPrint is not installed: pip install -e '.[bench]' (it needs the Pango libraries: "
    "apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)"
)


def weasyprint_available() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def scored_ids(code: str, n: int) -> list[int]:
    from kaopei.assessment.models import Cycle
    from kaopei.dashboards.report_card import scored_employee_ids

    cycle = Cycle.objects.get(code=code)
    return scored_employee_ids(cycle=cycle)[:n]


def time_kaopei(code: str, ids: list[int], lang: str, folder: Path) -> tuple[float, int]:
    from kaopei.assessment.models import Cycle
    from kaopei.dashboards.report_cards_batch import write_cards_zip

    cycle = Cycle.objects.get(code=code)
    start = time.perf_counter()
    names = write_cards_zip(cycle=cycle, ids=ids, lang=lang, target=folder / "kaopei.zip")
    return time.perf_counter() - start, len(names)


PRINT_TEMPLATE = Path(__file__).with_name("report_card_print.html")


def card_print_html(card: Any, *, language: str) -> str:
    """The card as a standalone HTML document for printing, with the shipped font by file
    URL and its styles inline (a file for WeasyPrint, never a page Kaopei serves): the same
    body as the report card's preview page."""
    from django.template import Context, Engine
    from django.utils import translation

    from kaopei.core.pdf import FONT_PATH
    from kaopei.dashboards.views_cards import card_context

    template = Engine.get_default().from_string(PRINT_TEMPLATE.read_text(encoding="utf-8"))
    with translation.override(language):
        context = card_context(card)
        context.update({"language": language, "font_url": FONT_PATH.as_uri()})
        return template.render(Context(context))


def write_html(code: str, ids: list[int], lang: str, folder: Path) -> list[Path]:
    """Each card's print HTML to a file (the baseline's input; not timed)."""
    from django.utils import translation

    from kaopei.assessment.models import Cycle
    from kaopei.dashboards.report_card import report_cards_for

    cycle = Cycle.objects.get(code=code)
    with translation.override(lang):
        cards = report_cards_for(cycle=cycle, employee_ids=ids)
    paths = []
    for card in cards:
        path = folder / f"{card.employee_no}-{card.cycle_code}.html"
        path.write_text(card_print_html(card, language=lang), encoding="utf-8")
        paths.append(path)
    return paths


def time_weasyprint(paths: list[Path], folder: Path) -> float:
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    start = time.perf_counter()
    for path in paths:
        HTML(filename=str(path)).write_pdf(str(folder / (path.stem + ".pdf")), font_config=fonts)
    return time.perf_counter() - start


def run(*, code: str, cards: int, lang: str, folder: Path) -> dict[str, Any]:
    """Both timings on the data as it is (the benchmark and its smoke test)."""
    ids = scored_ids(code, cards)
    if not ids:
        raise SystemExit(f"Nobody is scored in {code}: generate and score first.")
    time_kaopei(code, ids[:5], lang, folder)  # warm imports and the font file
    kaopei_s, n = time_kaopei(code, ids, lang, folder)
    out: dict[str, Any] = {"cards": n, "kaopei": kaopei_s, "weasyprint": None, "ratio": None}
    print(f"  Kaopei (data + PDF, {n} cards): {kaopei_s:.2f} s", flush=True)
    if not weasyprint_available():
        print(f"  {INSTALL_HINT}", flush=True)
        return out
    html_dir = folder / "html"
    html_dir.mkdir(exist_ok=True)
    paths = write_html(code, ids, lang, html_dir)
    time_weasyprint(paths[:5], html_dir)  # warm
    out["weasyprint"] = time_weasyprint(paths, html_dir)
    out["ratio"] = kaopei_s / out["weasyprint"]
    print(f"  WeasyPrint (HTML files → PDF, {len(paths)} cards): {out['weasyprint']:.2f} s")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cards", type=int, default=1000, help="cards in the batch (1000)")
    parser.add_argument("--lang", default="zh-hans", choices=["zh-hans", "en"])
    parser.add_argument("--reuse", action="store_true", help="reuse data scored by a previous run")
    parser.add_argument(
        "--activities", type=int, default=200_000, help="activities to generate (200,000)"
    )
    args = parser.parse_args()
    setup_django(fresh=not args.reuse)
    from benchmarks.scale_data import generate
    from kaopei.assessment.services.scoring import cycle_score
    from kaopei.core.bulk import allow_fast_switching

    allow_fast_switching()
    if not args.reuse:
        # Enough account managers for the batch (scale 1 = 10,000).
        scale = max(args.cards * 1.05 / 10_000, 0.002)
        print(" ", generate(scale, activities=args.activities), flush=True)
        summary = cycle_score(code="2026Q1")
        print(f"  scored {summary.scored:,}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-cards-") as tmp:
        out = run(code="2026Q1", cards=args.cards, lang=args.lang, folder=Path(tmp))
    ratio = f"{out['ratio']:.2f}" if out["ratio"] is not None else "n/a"
    weasy = f"{out['weasyprint']:.2f}s" if out["weasyprint"] is not None else "n/a"
    print(
        f"RESULT cards={out['cards']} lang={args.lang} kaopei={out['kaopei']:.2f}s "
        f"weasyprint={weasy} ratio={ratio} peak_rss={peak_rss_mb():.0f}MB (target ratio <= 1.3)",
        flush=True,
    )


if __name__ == "__main__":
    main()
