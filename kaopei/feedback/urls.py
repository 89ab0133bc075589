"""The feedback app's pages, one module per sub-domain (all in the ``feedback`` namespace)."""

from django.urls import include, path

from kaopei.feedback.views import hub

app_name = "feedback"

urlpatterns = [
    path("", hub.feedback_home, name="home"),
    path("", include("kaopei.feedback.urls_rounds")),
    path("", include("kaopei.feedback.urls_reports")),
    path("", include("kaopei.feedback.urls_surveys")),
    path("", include("kaopei.feedback.urls_suggestions")),
    path("", include("kaopei.feedback.urls_meetings")),
    path("", include("kaopei.feedback.urls_answer")),
]
