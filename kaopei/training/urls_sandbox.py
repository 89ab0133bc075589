"""The decision-sandbox pages (included by ``kaopei.training.urls``)."""

from django.urls import path

from kaopei.training.views import sandbox as views

urlpatterns = [
    path("sandbox/", views.sandbox_list, name="sandbox_list"),
    path("sandbox/add/", views.sandbox_create, name="sandbox_create"),
    path("sandbox/my-runs/", views.sandbox_my_runs, name="sandbox_my_runs"),
    path("sandbox/<id:pk>/", views.sandbox_detail, name="sandbox_detail"),
    path("sandbox/<id:pk>/edit/", views.sandbox_edit, name="sandbox_edit"),
    path("sandbox/<id:pk>/publish/", views.sandbox_publish, name="sandbox_publish"),
    path("sandbox/<id:pk>/retire/", views.sandbox_retire, name="sandbox_retire"),
    path("sandbox/<id:pk>/delete/", views.sandbox_delete, name="sandbox_delete"),
    path("sandbox/<id:pk>/steps/add/", views.sandbox_step_add, name="sandbox_step_add"),
    path("sandbox/<id:pk>/start/", views.sandbox_start, name="sandbox_start"),
    path("sandbox/<id:pk>/results/", views.sandbox_results, name="sandbox_results"),
    path("sandbox/steps/<id:pk>/edit/", views.sandbox_step_edit, name="sandbox_step_edit"),
    path("sandbox/steps/<id:pk>/delete/", views.sandbox_step_delete, name="sandbox_step_delete"),
    path("sandbox/steps/<id:pk>/choices/add/", views.sandbox_choice_add, name="sandbox_choice_add"),
    path("sandbox/choices/<id:pk>/edit/", views.sandbox_choice_edit, name="sandbox_choice_edit"),
    path(
        "sandbox/choices/<id:pk>/delete/", views.sandbox_choice_delete, name="sandbox_choice_delete"
    ),
    path("sandbox/runs/<id:pk>/", views.sandbox_run, name="sandbox_run"),
    path("sandbox/runs/<id:pk>/result/", views.sandbox_run_result, name="sandbox_run_result"),
    path("sandbox/runs/<id:pk>/abandon/", views.sandbox_abandon, name="sandbox_abandon"),
]
