"""Feedback pages: customer surveys by link and customer interview notes."""

from django.urls import URLPattern, path

from kaopei.feedback.views import surveys

urlpatterns: list[URLPattern] = [
    path("surveys/", surveys.survey_list, name="survey_list"),
    path("surveys/send/", surveys.survey_send, name="survey_send"),
    path("surveys/<id:pk>/cancel/", surveys.survey_cancel, name="survey_cancel"),
    # The customer's page: no sign-in, the token is the only key.
    path("survey/<str:token>/", surveys.survey_answer, name="survey_answer"),
    path("customer-interviews/", surveys.interview_list, name="customer_interview_list"),
    path("customer-interviews/new/", surveys.interview_create, name="customer_interview_create"),
    path(
        "customer-interviews/<id:pk>/", surveys.interview_detail, name="customer_interview_detail"
    ),
    path(
        "customer-interviews/<id:pk>/edit/", surveys.interview_edit, name="customer_interview_edit"
    ),
]
