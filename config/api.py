"""The JSON API under /api/v1/ (DESIGN.md §4.3)."""

from ninja import NinjaAPI

from kaopei.core.api import AUTH, docs_require_sign_in, install_error_handlers
from kaopei.org.api import router as org_router

api = NinjaAPI(
    title="Kaopei API",
    version="1",
    auth=AUTH,
    urls_namespace="api",
    docs_url="/docs",
    docs_decorator=docs_require_sign_in,
)
install_error_handlers(api)
api.add_router("/", org_router)
api.add_router("/", "kaopei.assessment.api.router")
api.add_router("/", "kaopei.assessment.api_unit_targets.router")
api.add_router("/", "kaopei.imports.api.router")
api.add_router("/", "kaopei.dashboards.api.router")
for _part in ("rounds", "reports", "surveys", "suggestions", "meetings", "answer"):
    api.add_router("/", f"kaopei.feedback.api.{_part}.router")
for _part in (
    "catalogue",
    "sessions",
    "quizzes",
    "certificates",
    "effect",
    "learning",
    "cases",
    "toolkit",
    "competitions",
    "roleplays",
    "sandbox",
):
    api.add_router("/", f"kaopei.training.api.{_part}.router")
api.add_router("/", "kaopei.dashboards.api_org.router")
