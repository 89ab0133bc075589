"""The training pages of this area (included by ``kaopei.training.urls``): group
competitions with cross-review."""

from django.urls import path

from kaopei.training.views import competitions as views

urlpatterns = [
    path("competitions/", views.competition_list, name="competition_list"),
    path("competitions/mine/", views.competition_mine, name="competition_mine"),
    path("competitions/new/", views.competition_create, name="competition_create"),
    path("competitions/<str:code>/", views.competition_detail, name="competition_detail"),
    path("competitions/<str:code>/teams/new/", views.team_create, name="competition_team_create"),
    path("competitions/<str:code>/open/", views.competition_open, name="competition_open"),
    path(
        "competitions/<str:code>/review/start/",
        views.competition_start_review,
        name="competition_start_review",
    ),
    path("competitions/<str:code>/close/", views.competition_close, name="competition_close"),
    path(
        "competitions/<str:code>/submission/",
        views.submission_edit,
        name="competition_submission",
    ),
    path(
        "competitions/<str:code>/teams/<id:pk>/expert/",
        views.expert_score_form,
        name="competition_expert_score",
    ),
    path(
        "competitions/<str:code>/leaderboard/",
        views.competition_leaderboard,
        name="competition_leaderboard",
    ),
    path(
        "competitions/<str:code>/my-reviews/",
        views.competition_my_reviews,
        name="competition_my_reviews",
    ),
    path(
        "competition-reviews/<id:pk>/",
        views.review_form,
        name="competition_review",
    ),
    path(
        "competition-files/<id:pk>/",
        views.submission_file_download,
        name="competition_file",
    ),
]
