"""Feedback pages: 360 rounds."""

from django.urls import path

from kaopei.feedback.views import rounds as v

urlpatterns = [
    path("rounds/", v.round_list, name="rounds"),
    path("rounds/new/", v.round_create, name="round_create"),
    path("rounds/mine/", v.my_360, name="my_360"),
    path("rounds/<str:cycle>/", v.round_detail, name="round_detail"),
    path("rounds/<str:cycle>/settings/", v.round_settings, name="round_settings"),
    path("rounds/<str:cycle>/subjects/add/", v.round_subjects_add, name="round_subjects_add"),
    path("rounds/<str:cycle>/open/", v.round_open, name="round_open"),
    path("rounds/<str:cycle>/remind/", v.round_remind, name="round_remind"),
    path("rounds/<str:cycle>/close/", v.round_close, name="round_close"),
    path("rounds/<str:cycle>/nominate/", v.round_nominate, name="round_nominate"),
    path(
        "rounds/<str:cycle>/subjects/<str:employee_no>/",
        v.round_subject,
        name="round_subject",
    ),
    path(
        "rounds/<str:cycle>/subjects/<str:employee_no>/remove/",
        v.round_subject_remove,
        name="round_subject_remove",
    ),
    path(
        "rounds/<str:cycle>/subjects/<str:employee_no>/raters/add/",
        v.round_rater_add,
        name="round_rater_add",
    ),
    path(
        "rounds/<str:cycle>/subjects/<str:employee_no>/raters/propose/",
        v.round_subject_propose,
        name="round_subject_propose",
    ),
    path(
        "rounds/<str:cycle>/subjects/<str:employee_no>/approve/",
        v.round_subject_approve,
        name="round_subject_approve",
    ),
    path(
        "rounds/<str:cycle>/invitations/<id:pk>/remove/",
        v.round_rater_remove,
        name="round_rater_remove",
    ),
    path(
        "rounds/<str:cycle>/invitations/<id:pk>/decide/",
        v.round_nomination_decide,
        name="round_nomination_decide",
    ),
]
