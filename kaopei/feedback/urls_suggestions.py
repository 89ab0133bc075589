"""Feedback pages: the anonymous suggestion box."""

from django.urls import URLPattern, path

from kaopei.feedback.views import suggestions

urlpatterns: list[URLPattern] = [
    path("suggestions/new/", suggestions.suggestion_post, name="suggestion_post"),
    path("suggestions/mine/", suggestions.suggestion_receipt, name="suggestion_receipt"),
    path("suggestions/", suggestions.suggestion_triage, name="suggestion_triage"),
    path("suggestions/<uuid:pk>/", suggestions.suggestion_detail, name="suggestion_detail"),
    path("suggestions/<uuid:pk>/reply/", suggestions.suggestion_reply, name="suggestion_reply"),
    path("suggestions/<uuid:pk>/review/", suggestions.suggestion_review, name="suggestion_review"),
    path("suggestions/<uuid:pk>/theme/", suggestions.suggestion_theme, name="suggestion_theme"),
    path("suggestions/<uuid:pk>/close/", suggestions.suggestion_close, name="suggestion_close"),
]
