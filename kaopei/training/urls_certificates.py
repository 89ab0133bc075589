"""The training pages of this area (included by ``kaopei.training.urls``)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []  # type: ignore[type-arg]
