"""What the feedback suggestions plug into at start-up (called from ``FeedbackConfig.ready``)."""

from django.utils.translation import gettext_lazy as _


def register() -> None:
    """HR admins are told of new suggestions (the notification names nothing of the poster)."""
    from kaopei.core.notifications import register_kind
    from kaopei.feedback.services.suggestions import SUGGESTION_NEW

    register_kind(SUGGESTION_NEW, _("New suggestion in the suggestion box"))
