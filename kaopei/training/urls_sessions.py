"""The training pages of sessions, enrolment and mandatory training (included by
``kaopei.training.urls``)."""

from django.urls import path

from kaopei.training.views import sessions as views

urlpatterns = [
    path("sessions/", views.session_list, name="session_list"),
    path("sessions/new/", views.session_create, name="session_create"),
    path("sessions/calendar/", views.calendar, name="calendar"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/cancel/", views.session_cancel, name="session_cancel"),
    path("sessions/<int:pk>/enrol/", views.session_enrol, name="session_enrol"),
    path("sessions/<int:pk>/attendance/", views.session_attendance, name="session_attendance"),
    path("enrolments/", views.enrolment_list, name="enrolment_list"),
    path("enrolments/<int:pk>/cancel/", views.enrolment_cancel, name="enrolment_cancel"),
    path("enrolments/<int:pk>/rate/", views.enrolment_react, name="enrolment_react"),
    path("mandatory/", views.mandatory_list, name="mandatory_list"),
    path("mandatory/new/", views.mandatory_create, name="mandatory_create"),
    path("mandatory/<int:pk>/edit/", views.mandatory_edit, name="mandatory_edit"),
    path("mandatory/<int:pk>/delete/", views.mandatory_delete, name="mandatory_delete"),
    path("mandatory/overdue/", views.overdue, name="overdue"),
]
