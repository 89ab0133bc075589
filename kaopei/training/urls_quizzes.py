"""The training pages of this area (included by ``kaopei.training.urls``)."""

from django.urls import path

from kaopei.training.views import quizzes as views

urlpatterns = [
    path("courses/<str:code>/questions/", views.question_bank, name="question_bank"),
    path("courses/<str:code>/questions/add/", views.question_add, name="question_add"),
    path("questions/<id:pk>/edit/", views.question_edit, name="question_edit"),
    path("questions/<id:pk>/remove/", views.question_remove, name="question_remove"),
    path("courses/<str:code>/quizzes/add/", views.quiz_create, name="quiz_create"),
    path("quizzes/<id:pk>/", views.quiz_detail, name="quiz_detail"),
    path("quizzes/<id:pk>/edit/", views.quiz_edit, name="quiz_edit"),
    path("quizzes/<id:pk>/publish/", views.quiz_publish, name="quiz_publish"),
    path("quizzes/<id:pk>/start/", views.quiz_start, name="quiz_start"),
    path("quizzes/<id:pk>/results/", views.quiz_results, name="quiz_results"),
    path("quizzes/<id:pk>/items/", views.item_analysis, name="item_analysis"),
    path("attempts/<id:pk>/", views.attempt_take, name="attempt_take"),
    path("attempts/<id:pk>/result/", views.attempt_result, name="attempt_result"),
]
