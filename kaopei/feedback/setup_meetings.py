"""What the feedback meetings plug into at start-up (called from ``FeedbackConfig.ready``):
the notification kinds of performance interviews and agreed actions."""

from django.utils.translation import gettext_lazy as _

INTERVIEW_PLANNED = "interview_planned"
INTERVIEW_HELD = "interview_held"
INTERVIEW_ACKNOWLEDGED = "interview_acknowledged"
ACTION_ASSIGNED = "action_assigned"


def register() -> None:
    """Register this area's notification kinds."""
    from kaopei.core.notifications import register_kind

    register_kind(INTERVIEW_PLANNED, _("A performance interview is planned"))
    register_kind(INTERVIEW_HELD, _("A performance interview awaits your acknowledgement"))
    register_kind(INTERVIEW_ACKNOWLEDGED, _("A performance interview was acknowledged"))
    register_kind(ACTION_ASSIGNED, _("An action was agreed for you"))
