from django.urls import path

from kaopei.imports import views

# The namespace is the one these pages had when they lived in facts: links and bookmarks
# (facts:import_list, /imports/…) stay as they were.
app_name = "facts"
urlpatterns = [
    path("", views.import_list, name="import_list"),
    path("new/", views.import_upload, name="import_upload"),
    path("templates/", views.template_list, name="template_list"),
    path("templates/<slug:kind>.xlsx", views.template_download, name="template_download"),
    path("<id:pk>/", views.import_detail, name="import_detail"),
    path("<id:pk>/preview/", views.import_preview, name="import_preview"),
    path("<id:pk>/start/", views.import_start, name="import_start"),
    path("<id:pk>/errors.xlsx", views.import_errors_download, name="import_errors_download"),
    path("<id:pk>/rollback/", views.import_rollback, name="import_rollback"),
]
