"""The training pages of sessions, enrolment and mandatory training (included by
``kaopei.training.urls``)."""

from django.urls import path

from kaopei.training.views import sessions as views

urlpatterns = [
    path("sessions/", views.session_list, name="session_list"),
    path("sessions/new/", views.session_create, name="session_create"),
    path("sessions/calendar/", views.calendar, name="calendar"),
    path("sessions/<id:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<id:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<id:pk>/cancel/", views.session_cancel, name="session_cancel"),
    path("sessions/<id:pk>/enrol/", views.session_enrol, name="session_enrol"),
    path("sessions/<id:pk>/attendance/", views.session_attendance, name="session_attendance"),
    path("enrolments/", views.enrolment_list, name="enrolment_list"),
    path("enrolments/<id:pk>/cancel/", views.enrolment_cancel, name="enrolment_cancel"),
    path("enrolments/<id:pk>/rate/", views.enrolment_react, name="enrolment_react"),
    path("mandatory/", views.mandatory_list, name="mandatory_list"),
    path("mandatory/new/", views.mandatory_create, name="mandatory_create"),
    path("mandatory/<id:pk>/edit/", views.mandatory_edit, name="mandatory_edit"),
    path("mandatory/<id:pk>/delete/", views.mandatory_delete, name="mandatory_delete"),
    path("mandatory/overdue/", views.overdue, name="overdue"),
]
