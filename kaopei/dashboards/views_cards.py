"""Report card pages: the HTML preview and the PDF of one card (whoever may read the
scorecard; others 404), and the batch of a cycle (HR admins): queue it, follow its progress,
download the zip (the requester and HR admins; others 404)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kaopei.assessment.selectors.access import require_hr
from kaopei.assessment.selectors.cycles import cycle_get_for_user, job_get_for_user
from kaopei.core.errors import ApplicationError
from kaopei.core.models import Job
from kaopei.dashboards.report_card import ReportCard, report_card_get_for_user
from kaopei.dashboards.report_card_pdf import number, percent, report_card_pdf, trend_svg
from kaopei.dashboards.report_cards_batch import (
    KIND,
    LANGUAGES,
    report_cards_enqueue,
    report_cards_file,
    zip_name,
)
from kaopei.org.models import OrgUnit


def reader_language() -> str:
    return "en" if (translation.get_language() or "").startswith("en") else "zh-hans"


@require_GET
def report_card_preview(request: HttpRequest, code: str, employee_no: str) -> HttpResponse:
    """The report card as a page, in the reader's language, with the PDF button."""
    card = report_card_get_for_user(user=request.user, cycle_code=code, employee_no=employee_no)
    return render(request, "dashboards/cards/report_card.html", card_context(card))


def card_context(card: ReportCard) -> dict[str, Any]:
    """What the card's templates show (the preview page and the print file)."""
    rows = [
        {
            "line": line,
            "actual": number(line.actual) if line.has_data else None,
            "target": number(line.target),
            "attainment": percent(line.attainment),
            "weight": number(line.weight),
            "points": number(line.points, places=2),
        }
        for line in card.lines
    ]
    # Without a fixed size the page's chart fills its box (a phone's width included).
    svg = trend_svg(card.trend, title=_("Trend of the total"), sized=False) if card.trend else ""
    return {
        "card": card,
        "rows": rows,
        "total": number(card.total, places=2),
        "gaps": [
            (
                g,
                number(g.actual),
                number(g.needed),
                ("+" if g.delta > 0 else "") + number(g.delta),
            )
            for g in card.gaps
        ],
        "trend": [(p, number(p.total, places=2)) for p in card.trend],
        "trend_svg": mark_safe(svg),  # noqa: S308 - numbers and an escaped title only
        "feedback": [
            (f, number(f.self_mean, places=2), number(f.others_mean, places=2))
            for f in card.feedback
        ],
    }


@require_GET
def report_card_download(request: HttpRequest, code: str, employee_no: str) -> HttpResponse:
    """The PDF of the card, in the reader's language."""
    card = report_card_get_for_user(user=request.user, cycle_code=code, employee_no=employee_no)
    data = report_card_pdf(card=card, language=reader_language())
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{card.file_name}"'
    return response


@require_http_methods(["GET", "POST"])
def report_cards_start(request: HttpRequest, code: str) -> HttpResponse:
    """HR admins: choose a unit (or everyone) and a language, then queue the batch."""
    require_hr(request.user)
    cycle = cycle_get_for_user(user=request.user, code=code)
    units = OrgUnit.objects.order_by("code")
    unit = (request.POST.get("unit") or "").strip()
    lang = request.POST.get("lang") or reader_language()
    if request.method == "POST":
        try:
            job = report_cards_enqueue(user=request.user, code=cycle.code, unit=unit, lang=lang)
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            return redirect("report_cards_job", job_id=job.pk)
    return render(
        request,
        "dashboards/cards/batch_start.html",
        {
            "cycle": cycle,
            "units": units,
            "unit": unit,
            "lang": lang,
            "lang_choices": [
                (code, _("Chinese") if code == "zh-hans" else _("English")) for code in LANGUAGES
            ],
        },
    )


def _batch_job(request: HttpRequest, job_id: int) -> Job:
    job = job_get_for_user(user=request.user, job_id=job_id)
    if job.kind != KIND:
        raise Http404
    return job


@require_GET
def report_cards_job(request: HttpRequest, job_id: int) -> HttpResponse:
    """A batch's progress (the page polls itself until done) and, when done, the zip."""
    job = _batch_job(request, job_id)
    done, total = job.progress, job.total
    params = job.params or {}
    context = {
        "job": job,
        "done": done,
        "total": total,
        "percent": min(100, int(done * 100 / total)) if total else (100 if job.is_done else 0),
        "cycle_code": params.get("code", ""),
        "unit_code": params.get("unit", ""),
        "ready": report_cards_file(job) is not None,
    }
    template = "dashboards/cards/batch_job.html"
    if getattr(request, "htmx", False):
        template += "#progress"
    return render(request, template, context)


@require_GET
def report_cards_zip(request: HttpRequest, job_id: int) -> FileResponse:
    """The zip of a finished batch (the requester and HR admins; 404 for others or when
    the file is gone)."""
    job = _batch_job(request, job_id)
    path = report_cards_file(job)
    if path is None:
        raise Http404
    params = job.params or {}
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=zip_name(params.get("code", ""), params.get("unit", "")),
        content_type="application/zip",
    )
