"""What this training area plugs into at start-up (called from ``TrainingConfig.ready``):
the ``questions`` import kind (a course's question bank from a spreadsheet)."""


def register() -> None:
    """Register the ``questions`` import kind."""
    from django.utils.translation import gettext_lazy as _

    from kaopei.imports.registry import register_kind
    from kaopei.training.import_kinds_questions import QUESTIONS
    from kaopei.training.loaders_questions import QuestionLoader

    register_kind(
        QUESTIONS,
        QuestionLoader,
        description=_(
            "A course's question bank: one row per question with its options and answer."
        ),
        notes=_(
            "Options are separated by | (or by new lines inside an xlsx cell), e.g. A. …|B. …; the "
            "answer gives the "
            "letters of the correct options (A, AC), or 正确/错误 for a true/false question, "
            "whose options may stay blank. Re-importing a question updates it; its options "
            "can only change while nobody has answered it."
        ),
        example={
            "course": "AML-101",
            "code": "AML-Q01",
            "kind": "单选",
            "text": "单笔人民币现金交易达到多少金额时，金融机构应当报告大额交易？",
            "options": "A. 1万元|B. 5万元|C. 20万元|D. 50万元",
            "answer": "B",
            "explanation": "当日单笔或累计交易人民币5万元以上的现金交易应报告大额交易。",
        },
    )
