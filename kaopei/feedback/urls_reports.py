"""Feedback pages: reports."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
