"""The training pages of this area (included by ``kaopei.training.urls``): the toolkit."""

from django.urls import path

from kaopei.training.views import toolkit as views

urlpatterns = [
    path("toolkit/", views.toolkit_list, name="toolkit_list"),
    path("toolkit/new/", views.toolkit_create, name="toolkit_create"),
    path("toolkit/<str:code>/", views.toolkit_detail, name="toolkit_detail"),
    path("toolkit/<str:code>/edit/", views.toolkit_edit, name="toolkit_edit"),
    path("toolkit/<str:code>/publish/", views.toolkit_publish, name="toolkit_publish"),
    path("toolkit/<str:code>/deactivate/", views.toolkit_deactivate, name="toolkit_deactivate"),
    path("toolkit/versions/<id:pk>/download/", views.toolkit_download, name="toolkit_download"),
]
