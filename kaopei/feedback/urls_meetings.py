"""Feedback pages: performance interviews, review meetings and the actions they agree."""

from django.urls import path

from kaopei.feedback.views import meetings as v

urlpatterns = [
    path("interviews/", v.interview_list, name="interview_list"),
    path("interviews/plan/", v.interview_plan, name="interview_plan"),
    path("interviews/<id:pk>/", v.interview_detail, name="interview_detail"),
    path("interviews/<id:pk>/summary/", v.interview_summary, name="interview_summary"),
    path("interviews/<id:pk>/record/", v.interview_record, name="interview_record"),
    path("interviews/<id:pk>/actions/", v.interview_action_add, name="interview_action_add"),
    path(
        "interviews/<id:pk>/actions/<id:action>/remove/",
        v.interview_action_remove,
        name="interview_action_remove",
    ),
    path("interviews/<id:pk>/acknowledge/", v.interview_acknowledge, name="interview_acknowledge"),
    path("actions/", v.action_list, name="action_list"),
    path("actions/<id:pk>/status/", v.action_status, name="action_status"),
    path("review-meetings/", v.meeting_list, name="meeting_list"),
    path("review-meetings/new/", v.meeting_create, name="meeting_create"),
    path("review-meetings/<id:pk>/", v.meeting_detail, name="meeting_detail"),
    path("review-meetings/<id:pk>/edit/", v.meeting_edit, name="meeting_edit"),
    path("review-meetings/<id:pk>/actions/", v.meeting_action_add, name="meeting_action_add"),
]
