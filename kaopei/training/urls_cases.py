"""The training pages of this area (included by ``kaopei.training.urls``): the case library."""

from django.urls import path

from kaopei.training.views import cases as views

urlpatterns = [
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/<str:code>/", views.case_detail, name="case_detail"),
    path("cases/<str:code>/edit/", views.case_edit, name="case_edit"),
    path("cases/<str:code>/history/", views.case_history, name="case_history"),
    path("cases/<str:code>/deactivate/", views.case_deactivate, name="case_deactivate"),
]
