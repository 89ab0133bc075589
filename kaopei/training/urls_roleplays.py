"""The training pages of this area (included by ``kaopei.training.urls``): role-plays."""

from django.urls import path

from kaopei.training.views import roleplays as views

urlpatterns = [
    path("roleplays/", views.roleplay_list, name="roleplay_list"),
    path("roleplays/new/", views.roleplay_create, name="roleplay_create"),
    path("roleplays/to-score/", views.roleplay_queue, name="roleplay_queue"),
    path("roleplays/performances/", views.performance_list, name="performance_list"),
    path("roleplays/performances/<id:pk>/", views.performance_detail, name="performance_detail"),
    path(
        "roleplays/performances/<id:pk>/score/",
        views.performance_score,
        name="performance_score",
    ),
    path(
        "roleplays/performances/<id:pk>/close/",
        views.performance_close,
        name="performance_close",
    ),
    path("roleplays/<id:pk>/", views.roleplay_detail, name="roleplay_detail"),
    path("roleplays/<id:pk>/edit/", views.roleplay_edit, name="roleplay_edit"),
    path(
        "roleplays/<id:pk>/performances/new/",
        views.performance_create,
        name="performance_create",
    ),
]
