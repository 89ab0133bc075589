"""Scorecard pages: my scorecards, a cycle's list, the scorecard ("every point explainable"),
the records behind a line (appeals: ``views/appeals.py``; calibration: ``views/calibration.py``).

Views stay thin (STYLE.md item 3): a selector fetches and scopes (404 outside the scope),
one service writes, and an ApplicationError becomes a message and a redirect, never a 500.
The helpers at the top only turn stored numbers into words for the page.

Who sees what (DESIGN.md §1): an account manager their own scorecards; a supervisor
everyone below them; HR everyone (and the audit history). Executives and trainers never see
an individual scorecard (404). Executives may open the calibration board read-only: they see
the grade distributions (aggregates), never the cards or the forms.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kaopei.assessment import selectors as sel
from kaopei.assessment.evidence import evidence_for, evidence_panels
from kaopei.assessment.forms import (
    CalibrateForm,
    ScorecardFilterForm,
    VoidForm,
)
from kaopei.assessment.models import Appeal, LineOverride
from kaopei.assessment.presenters import (
    attainment_rule,
    fmt_number,
    gap_text,
    line_rows,
    no_data_reason,
    projection_text,
)
from kaopei.assessment.services import calibration as calibration_services
from kaopei.assessment.views.appeals import evidence_groups
from kaopei.assessment.views.common import (
    PER_PAGE,
    card_url,
    require,
    who,
)
from kaopei.core.errors import ApplicationError
from kaopei.core.listing import list_filters, paginate, render_list
from kaopei.core.periods import parse_period
from kaopei.core.table_export import Column, export_format, table_response
from kaopei.org.selectors import unit_list_visible_to

# --- Plumbing ----------------------------------------------------------------------------------


def _distribution(counts: dict[str, int], grades: Sequence[str]) -> list[dict[str, Any]]:
    n = sum(counts.values())
    return [
        {
            "grade": g,
            "n": counts.get(g, 0),
            "share": fmt_number(Decimal(counts.get(g, 0) * 100) / n, 1) if n else "0",
        }
        for g in grades
    ]


# --- My scorecards and a cycle's list ----------------------------------------------------------


def my_scorecards(request: HttpRequest) -> HttpResponse:
    """The signed-in person's scorecards across cycles (published ones only)."""
    cards = list(sel.my_scorecard_list(user=request.user))
    pending = [c for c in cards if c.cycle.is_final and c.acknowledged_at is None]
    context = {"cards": cards, "pending": pending, "grade_scale": sel.grade_scale_for()}
    return render(request, "assessment/my_scorecards.html", context)


SCORECARD_COLUMNS = (
    Column("employee_no", gettext_lazy("Employee number")),
    Column("name", gettext_lazy("Name")),
    Column("org_unit", gettext_lazy("Org unit")),
    Column("level", gettext_lazy("Job level")),
    Column("cycle", gettext_lazy("Cycle")),
    Column("total", gettext_lazy("Total"), "number"),
    Column("grade", gettext_lazy("Grade")),
    Column("computed_grade", gettext_lazy("Computed grade")),
    Column("veto_reason", gettext_lazy("Veto")),
    Column("acknowledged", gettext_lazy("Acknowledged"), "date"),
)


def scorecard_list(request: HttpRequest, code: str) -> HttpResponse:
    """A cycle's scorecards in the user's scope: search, filters, 50 a page, and the grade
    distribution of what the filters select. On an htmx request only the results."""
    require(sel.can_open_scorecards(request.user))
    cycle = sel.cycle_get_for_user(user=request.user, code=code)
    units = unit_list_visible_to(user=request.user).order_by("code")
    scale = sel.grade_scale_for(cycle)
    form = ScorecardFilterForm(request.GET, units=units, grades=scale.codes)
    cards = sel.scorecard_search(
        user=request.user,
        cycle=cycle,
        q=form.value("q", ""),
        unit=form.value("unit"),
        level=form.value("level"),
        grade=form.value("grade", ""),
    )
    fmt = export_format(request)
    if fmt:  # the filtered list, all pages
        return table_response(
            columns=SCORECARD_COLUMNS,
            rows=(
                {
                    "employee_no": c.employee.employee_no,
                    "name": c.employee.name,
                    "org_unit": c.org_unit.local_name if c.org_unit else "",
                    "level": c.level.local_name if c.level else "",
                    "cycle": cycle.code,
                    "total": c.total,
                    "grade": c.grade,
                    "computed_grade": c.computed_grade,
                    "veto_reason": c.veto_reason,
                    "acknowledged": c.acknowledged_at,
                }
                for c in cards.select_related("employee", "org_unit", "level")
            ),
            fmt=fmt,
            name=f"scorecards-{cycle.code}",
        )
    page = paginate(request, cards, PER_PAGE)
    query_string, filtered = list_filters(request)
    context = {
        "cycle": cycle,
        "form": form,
        "page_obj": page,
        "query_string": query_string,
        "filtered": filtered,
        "distribution": _distribution(sel.grade_counts(cards), scale.codes),
        "grade_scale": scale,
        "can_calibrate": sel.can_calibrate(request.user),
    }
    return render_list(request, "assessment/scorecard_list.html", context)


# --- The scorecard -----------------------------------------------------------------------------


def scorecard_detail(request: HttpRequest, code: str, employee_no: str) -> HttpResponse:
    """One scorecard with every point explained (see the module docstring for scope)."""
    user = request.user
    card = sel.scorecard_get_for_user(user=user, cycle_code=code, employee_no=employee_no)
    lines = list(card.lines.all())
    appeals = list(card.appeals.all())
    open_appeals = {a.metric_id: a for a in appeals if a.status == Appeal.Status.OPEN}
    bands = sel.grade_bands_for(card.cycle)
    scale = sel.grade_scale_for(card.cycle)
    band = next((b for b in bands if b.grade == card.grade), None)
    computed = next((b for b in bands if b.grade == card.computed_grade), None)
    metrics = {line.metric.code: line.metric for line in lines}
    return render(
        request,
        "assessment/scorecard_detail.html",
        {
            "card": card,
            "cycle": card.cycle,
            "employee": card.employee,
            "rows": line_rows(card, lines, open_appeals),
            "band": band,
            "behaviour": [x for x in band.behaviour.splitlines() if x.strip()] if band else [],
            "computed_band": computed,
            "gap": gap_text(sel.scorecard_gaps(card=card), metrics, bands),
            "projection": projection_text(card),
            "veto": sel.veto_incident(card),
            "veto_line": "compliance_incidents" in metrics,
            "weight_with_data": fmt_number(card.weight_with_data),
            "weight_total": fmt_number(card.weight_total),
            "weight_without_data": fmt_number(card.weight_total - card.weight_with_data),
            "calibrations": [(c, who(c.by)) for c in card.calibrations.all()],
            "appeals": appeals,
            "overrides": [
                (o, who(o.by))
                for o in LineOverride.objects.filter(
                    cycle=card.cycle, employee=card.employee
                ).select_related("metric", "by__employee")
            ],
            "is_owner": sel.is_owner(user, card),
            "can_acknowledge": sel.can_acknowledge_card(user, card),
            "can_appeal": sel.can_appeal_card(user, card),
            "can_calibrate": sel.can_calibrate_card(user, card) and card.eligible,
            "can_remove": sel.is_hr(user) and not card.eligible,
            "calibrate_form": CalibrateForm(initial={"to_grade": card.grade}, grades=scale.bands),
            "grade_scale": scale,
            "history": sel.scorecard_history(user=user, card=card) if sel.is_hr(user) else None,
        },
    )


def line_evidence(request: HttpRequest, code: str, employee_no: str, metric: str) -> HttpResponse:
    """The exact records one line counted, 100 a page per group (``?page_<n>``)."""
    card = sel.scorecard_get_for_user(user=request.user, cycle_code=code, employee_no=employee_no)
    line = sel.scorecard_line_get(card=card, metric_code=metric)
    evidence = evidence_for(line.metric.code, card.employee_id, parse_period(card.cycle.code))
    may_correct = sel.is_hr(request.user) and not card.cycle.is_final

    def action_url(kind: str, record: int, action: str) -> str:
        return reverse(
            f"assessment:line_record_{action}",
            args=[card.cycle.code, card.employee.employee_no, line.metric.code, kind, record],
        )

    groups = evidence_groups(request, evidence, action_url if may_correct else None)
    scored = line.has_data and line.points is not None
    return render(
        request,
        "assessment/evidence.html",
        {
            "card": card,
            "cycle": card.cycle,
            "employee": card.employee,
            "line": line,
            "metric": line.metric,
            "row": line_rows(card, [line], {})[0],
            "rule": attainment_rule(line.metric, line.cap, line.bound),
            "reason": "" if scored else no_data_reason(line),
            "groups": groups,
            "evidence_note": evidence.note if evidence else "",
            "has_records": evidence is not None,
            "panels": evidence_panels(code=line.metric.code, card=card, user=request.user),
            "sources": sel.line_sources(card=card, line=line),
            "published": sel.PUBLISHED,
            "grade_scale": sel.grade_scale_for(card.cycle),
            "is_hr": sel.is_hr(request.user),
            "may_correct": may_correct,
            "void_form": VoidForm(),
        },
    )


@require_POST
def scorecard_acknowledge(request: HttpRequest, code: str, employee_no: str) -> HttpResponse:
    card = sel.scorecard_get_for_user(user=request.user, cycle_code=code, employee_no=employee_no)
    try:
        calibration_services.scorecard_acknowledge(scorecard=card, user=request.user)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request, _("You acknowledged your %(cycle)s scorecard.") % {"cycle": card.cycle.code}
        )
    return redirect(card_url(card))


__all__ = [
    "line_evidence",
    "my_scorecards",
    "scorecard_acknowledge",
    "scorecard_detail",
    "scorecard_list",
]
