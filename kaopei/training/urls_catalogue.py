"""The course catalogue's pages (included by ``kaopei.training.urls``)."""

from django.urls import path

from kaopei.training.views import catalogue as views

urlpatterns = [
    path("courses/", views.course_list, name="course_list"),
    path("courses/new/", views.course_create, name="course_create"),
    path("courses/<str:code>/", views.course_detail, name="course_detail"),
    path("courses/<str:code>/edit/", views.course_edit, name="course_edit"),
    path("courses/<str:code>/deactivate/", views.course_deactivate, name="course_deactivate"),
    path("courses/<str:code>/delete/", views.course_delete, name="course_delete"),
    path("courses/<str:code>/materials/new/", views.material_upload, name="material_upload"),
    path("materials/<id:pk>/", views.material_download, name="material_download"),
    path("materials/<id:pk>/delete/", views.material_delete, name="material_delete"),
]
