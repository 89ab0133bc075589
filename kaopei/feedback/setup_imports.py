"""What the feedback imports plug into at start-up (called from ``FeedbackConfig.ready``):
the ``feedback_answers`` import kind and the ``feedback`` export of ``kaopei export``."""


def register() -> None:
    """Register this area's import kind and export."""
    from django.utils.translation import gettext_lazy as _

    from kaopei.assessment.exports import register_export
    from kaopei.feedback.exports import FEEDBACK_COLUMNS, feedback_rows
    from kaopei.feedback.import_kinds import FEEDBACK_ANSWERS
    from kaopei.feedback.loaders import FeedbackAnswerLoader
    from kaopei.imports.registry import register_kind

    register_kind(
        FEEDBACK_ANSWERS,
        FeedbackAnswerLoader,
        description=_(
            "360 answers collected in another survey tool: one row per response and competency."
        ),
        notes=_(
            "The rows of one 答卷编号 (response) are one rater's answers about one subject; "
            "the response id is never stored. A file replaces the imported answers of every "
            "cycle and subject it names; answers given in Kaopei stay. At most one self and "
            "one supervisor response per subject; a final cycle or a closed 360 round refuses "
            "the file."
        ),
        example={
            "cycle": "2026Q1",
            "subject_no": "A001",
            "relationship": "同事",
            "response": "R0001",
            "competency": "needs_discovery",
            "score": 4,
            "comment": "善于倾听客户",
        },
    )
    register_export("feedback", FEEDBACK_COLUMNS, feedback_rows)
