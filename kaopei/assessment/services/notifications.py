"""What assessment tells people, and when: the one place for its notifications' kinds,
texts, recipients and links (sent through :mod:`kaopei.core.notifications`).

The services call these after their change is saved, inside their transaction: the
notifications are stored with it and the e-mails leave after the commit.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from kaopei.assessment.models import Appeal, Calibration, Cycle, Scorecard, Template
from kaopei.core.jobs import JobNotice, register_job_notice
from kaopei.core.models import Job
from kaopei.core.notifications import notify, register_kind
from kaopei.core.roles import Role
from kaopei.org.models import Employee

CYCLE_OPEN = "cycle_open"
CYCLE_FINAL = "cycle_final"
APPEAL_FILED = "appeal_filed"
APPEAL_ANSWERED = "appeal_answered"
CALIBRATION = "calibration"
SCORING = "scoring"


def register() -> None:
    """Declare assessment's kinds and the scoring job's notice (AssessmentConfig.ready)."""
    register_kind(CYCLE_OPEN, _("Assessment cycle published"))
    register_kind(CYCLE_FINAL, _("Scorecard final, to acknowledge"))
    register_kind(APPEAL_FILED, _("Appeal filed by someone in my team"))
    register_kind(APPEAL_ANSWERED, _("My appeal answered"))
    register_kind(CALIBRATION, _("My grade changed in calibration"))
    register_kind(SCORING, _("Scoring I started finished or failed"))
    register_job_notice(kind="score", builder=scoring_notice)


def notify_cycle_status(*, cycle: Cycle, opened_now: bool = False) -> int:
    """After a cycle's status changed: published (opened for the first time) or final."""
    if cycle.status == Cycle.Status.FINAL:
        return notify_cycle_final(cycle=cycle)
    if cycle.status == Cycle.Status.OPEN and opened_now:
        return notify_cycle_open(cycle=cycle)
    return 0


def notify_cycle_open(*, cycle: Cycle) -> int:
    """Tell everyone with a login whom the cycle will assess (employed during it, at a job
    level with a current template of the cycle's kind) that it is published."""
    levels = Template.objects.filter(cycle_kind=cycle.kind, current=True).values("level_id")
    users = Employee.objects.filter(
        Q(hire_date__isnull=True) | Q(hire_date__lte=cycle.end),
        Q(left_on__isnull=True) | Q(left_on__gte=cycle.start),
        level_id__in=levels,
        user__isnull=False,
    ).values_list("user_id", flat=True)
    return notify(
        users=users,
        kind=CYCLE_OPEN,
        message=gettext_noop(
            "Assessment cycle %(cycle)s (%(start)s to %(end)s) is published: your results "
            "in it count towards your scorecard."
        ),
        params={"cycle": cycle.code, "start": cycle.start, "end": cycle.end},
        url=reverse("assessment:my_scorecards"),
    )


def notify_cycle_final(*, cycle: Cycle) -> int:
    """Tell every scored person with a login that their scorecard is final and waits for
    their acknowledgement (one notification for both)."""
    rows = Scorecard.objects.filter(
        cycle=cycle, eligible=True, employee__user__isnull=False
    ).values_list("employee__user_id", "employee__employee_no")
    urls = {
        user_id: reverse("assessment:scorecard", args=[cycle.code, employee_no])
        for user_id, employee_no in rows
    }
    return notify(
        users=urls,
        kind=CYCLE_FINAL,
        message=gettext_noop("Your %(cycle)s scorecard is final. Please read and acknowledge it."),
        params={"cycle": cycle.code},
        urls=urls,
    )


def _metric_name(appeal: Appeal) -> Callable[[], str]:
    metric = appeal.metric
    return lambda: metric.name  # read in each language


def _appeal_url(appeal: Appeal) -> str:
    return reverse("assessment:appeal_detail", args=[appeal.pk])


def notify_appeal_filed(*, appeal: Appeal) -> int:
    """Tell the appellant's direct supervisor (HR admins when there is none with a login)
    that an appeal waits for an answer."""
    card = Scorecard.objects.select_related("employee__supervisor", "cycle").get(
        pk=appeal.scorecard_id
    )
    employee = card.employee
    supervisor = employee.supervisor
    if supervisor is not None and supervisor.user_id is not None:
        users: list[int] = [supervisor.user_id]
    else:
        users = list(
            get_user_model()
            .objects.filter(groups__name=Role.HR_ADMIN.value, is_active=True)
            .values_list("pk", flat=True)
        )
    return notify(
        users=users,
        kind=APPEAL_FILED,
        message=gettext_noop(
            "%(name)s appealed the line “%(metric)s” of their %(cycle)s scorecard."
        ),
        params={"name": employee.name, "metric": _metric_name(appeal), "cycle": card.cycle.code},
        url=_appeal_url(appeal),
    )


def notify_appeal_answered(*, appeal: Appeal) -> int:
    """Tell the appellant that their appeal was accepted or rejected."""
    card = Scorecard.objects.select_related("employee", "cycle").get(pk=appeal.scorecard_id)
    accepted = appeal.status == Appeal.Status.ACCEPTED
    message = (
        gettext_noop("Your appeal on “%(metric)s” (%(cycle)s) was accepted.")
        if accepted
        else gettext_noop("Your appeal on “%(metric)s” (%(cycle)s) was rejected.")
    )
    return notify(
        users=[appeal.raised_by_id or card.employee.user_id],
        kind=APPEAL_ANSWERED,
        message=message,
        params={"metric": _metric_name(appeal), "cycle": card.cycle.code},
        url=_appeal_url(appeal),
    )


def notify_calibrated(*, calibration: Calibration) -> int:
    """Tell the person whose grade calibration changed, from what to what."""
    card = Scorecard.objects.select_related("employee", "cycle").get(pk=calibration.scorecard_id)
    return notify(
        users=[card.employee.user_id],
        kind=CALIBRATION,
        message=gettext_noop(
            "Your %(cycle)s grade was changed in calibration from %(from)s to %(to)s."
        ),
        params={
            "cycle": card.cycle.code,
            "from": calibration.from_grade,
            "to": calibration.to_grade,
        },
        url=reverse("assessment:scorecard", args=[card.cycle.code, card.employee.employee_no]),
    )


def scoring_notice(job: Job) -> JobNotice:
    """The notice for whoever started a scoring job, once it ended."""
    code = (job.params or {}).get("code", "")
    url = reverse("assessment:job_status", args=[job.pk])
    if job.status == Job.Status.SUCCEEDED:
        result = job.result or {}
        return JobNotice(
            kind=SCORING,
            message=gettext_noop(
                "Scoring of cycle %(cycle)s finished: %(scored)s scorecards, "
                "%(skipped)s people skipped."
            ),
            params={
                "cycle": code,
                "scored": result.get("scored", 0),
                "skipped": len(result.get("skipped") or []),
            },
            url=url,
        )
    return JobNotice(
        kind=SCORING,
        message=gettext_noop("Scoring of cycle %(cycle)s failed. Open the job to see why."),
        params={"cycle": code},
        url=url,
    )
