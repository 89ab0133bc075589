"""The training app's pages, one module per sub-domain (all in the ``training`` namespace)."""

from django.urls import include, path

app_name = "training"

urlpatterns = [
    path("", include("kaopei.training.urls_learning")),
    path("", include("kaopei.training.urls_catalogue")),
    path("", include("kaopei.training.urls_sessions")),
    path("", include("kaopei.training.urls_quizzes")),
    path("", include("kaopei.training.urls_certificates")),
    path("", include("kaopei.training.urls_effect")),
    path("", include("kaopei.training.urls_toolkit")),
    path("", include("kaopei.training.urls_cases")),
    path("", include("kaopei.training.urls_competitions")),
    path("", include("kaopei.training.urls_roleplays")),
    path("", include("kaopei.training.urls_sandbox")),
]
