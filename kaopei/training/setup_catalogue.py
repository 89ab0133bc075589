"""What the catalogue plugs into at start-up (called from ``TrainingConfig.ready``): the
``courses`` import kind."""


def register() -> None:
    """Register the ``courses`` import kind."""
    from django.utils.translation import gettext_lazy as _

    from kaopei.imports.registry import register_kind
    from kaopei.training.import_kinds_catalogue import COURSES
    from kaopei.training.loaders_catalogue import CourseLoader

    register_kind(
        COURSES,
        CourseLoader,
        description=_(
            "The course catalogue: each course with its module, format, hours and the metrics "
            "and competencies it improves."
        ),
        notes=_(
            "模块 (module) is needs_discovery 需求挖掘, value_communication 价值沟通, compliance "
            "风险合规, digital_tools 数字工具, product 产品知识 or other 其他; 形式 (format) is "
            "lecture 讲授, case 案例, role_play 角色扮演, sandbox 沙盘, competition 竞赛 or "
            "e_learning 线上. 学时 (hours) is 0 or more. 关联指标 and 关联能力 list metric and "
            "competency codes separated by commas (, ， or 、); each must exist. A code that "
            "exists updates that course."
        ),
        example={
            "code": "SPIN-101",
            "title": "需求挖掘：SPIN 提问法",
            "module": "需求挖掘",
            "format": "角色扮演",
            "hours": 6,
            "metrics": "opportunity_win_rate, visit_count",
            "competencies": "needs_discovery",
        },
    )
