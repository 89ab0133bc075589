"""What the feedback reports plug into at start-up (called from ``FeedbackConfig.ready``):
links on the calibration board (the 9-box, rater bias) and the 360 evidence of the
``competency_360`` and ``team_collaboration`` scorecard lines."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

COMPETENCY_METRICS = {"competency_360": None, "team_collaboration": "collaboration"}


def evidence_360(*, card: Any, user: Any, category: str | None = None) -> Any:
    """The displayed all-raters rows behind a 360 line of ``card`` (of the competencies of
    ``category`` only, when given) and a link to the report when ``user`` may read it.
    No rows before the round closes."""
    from django.urls import reverse

    from kaopei.assessment.evidence import EvidencePanel
    from kaopei.feedback.anonymity import ALL_RATERS
    from kaopei.feedback.selectors.report_pages import is_closed, report_scope_ids
    from kaopei.feedback.selectors.reports import cycle_round, round_report_rows
    from kaopei.org.models import Competency

    feedback_round = cycle_round(card.cycle_id)
    if feedback_round is None:
        return None
    context: dict[str, Any] = {"available": is_closed(feedback_round), "rows": [], "report_url": ""}
    if context["available"]:
        rows = [
            r
            for r in round_report_rows(feedback_round.pk, [card.employee_id])
            if r.group == ALL_RATERS
        ]
        competencies = Competency.objects.in_bulk([r.competency_id for r in rows])
        context["rows"] = [
            {
                "competency": competencies[r.competency_id].local_name,
                "code": competencies[r.competency_id].code,
                "responses": r.responses,
                "mean": f"{r.mean:.2f}",
            }
            for r in rows
            if category is None or competencies[r.competency_id].category == category
        ]
        context["rows"].sort(key=lambda r: r["code"])
        scope = report_scope_ids(user)
        if scope is None or card.employee_id in scope:
            context["report_url"] = reverse(
                "feedback:report_detail", args=[card.cycle.code, card.employee.employee_no]
            )
    return EvidencePanel("feedback/reports/_evidence_360.html", context)


def _provider(code: str) -> Any:
    category = COMPETENCY_METRICS[code]

    def provide(*, card: Any, user: Any) -> Any:
        return evidence_360(card=card, user=user, category=category)

    provide.__name__ = f"evidence_{code}"
    return provide


_PROVIDERS = {code: _provider(code) for code in COMPETENCY_METRICS}


def register() -> None:
    """Register this area's hooks: the calibration board's links and the 360 evidence."""
    from kaopei.assessment.board_links import calibration_board_link_register
    from kaopei.assessment.evidence import evidence_panel_register
    from kaopei.feedback import rules

    calibration_board_link_register(
        label=_("9-box"), url_name="feedback:nine_box", visible=rules.can_see_nine_box
    )
    calibration_board_link_register(
        label=_("Rater bias"), url_name="feedback:rater_bias", visible=rules.can_see_rater_bias
    )
    for code, provider in _PROVIDERS.items():
        evidence_panel_register(code=code, provider=provider)
