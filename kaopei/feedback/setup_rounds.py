"""What the feedback rounds plug into at start-up (called from ``FeedbackConfig.ready``)."""

from django.utils.translation import gettext_lazy as _

from kaopei.core.notifications import register_kind


def register() -> None:
    """The notification kinds of 360 rounds (people may turn their e-mails off)."""
    register_kind("feedback_invitation", _("360 feedback invitations"))
    register_kind("feedback_reminder", _("360 feedback reminders"))
    register_kind("feedback_nomination", _("360 peer nominations to approve"))
    register_kind("feedback_round_closed", _("360 feedback reports ready"))
