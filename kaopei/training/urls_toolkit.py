"""The training pages of this area (included by ``kaopei.training.urls``): the toolkit."""

from django.urls import path

from kaopei.training.views import toolkit as views

urlpatterns = [
    path("toolkit/versions/<id:pk>/download/", views.toolkit_download, name="toolkit_download"),
]
