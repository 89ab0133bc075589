"""The training pages of this area (included by ``kaopei.training.urls``): certificates."""

from django.urls import path

from kaopei.training.views import certificates as views

urlpatterns = [
    path(
        "enrolments/<id:pk>/certificate/",
        views.certificate_download,
        name="certificate_download",
    ),
    path("certificates/", views.certificate_list, name="certificate_list"),
    path("certificates/verify/", views.certificate_lookup, name="certificate_lookup"),
    path("certificates/verify/<str:code>/", views.certificate_verify, name="certificate_verify"),
    path("certificates/<id:pk>/revoke/", views.certificate_revoke, name="certificate_revoke"),
]
