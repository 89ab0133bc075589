"""Feedback pages: questionnaires (HR's editor) and answering (employees' tasks, the
customers' page by link)."""

from django.urls import path

from kaopei.feedback.views import answering, questionnaires

urlpatterns = [
    path("questionnaires/", questionnaires.questionnaire_list, name="questionnaire_list"),
    path("questionnaires/new/", questionnaires.questionnaire_create, name="questionnaire_create"),
    path(
        "questionnaires/<id:pk>/", questionnaires.questionnaire_detail, name="questionnaire_detail"
    ),
    path(
        "questionnaires/<id:pk>/edit/", questionnaires.questionnaire_edit, name="questionnaire_edit"
    ),
    path(
        "questionnaires/<id:pk>/preview/",
        questionnaires.questionnaire_preview,
        name="questionnaire_preview",
    ),
    path(
        "questionnaires/<id:pk>/publish/",
        questionnaires.questionnaire_publish,
        name="questionnaire_publish",
    ),
    path(
        "questionnaires/<id:pk>/new-version/",
        questionnaires.questionnaire_new_version,
        name="questionnaire_new_version",
    ),
    path(
        "questionnaires/<id:pk>/retire/",
        questionnaires.questionnaire_retire,
        name="questionnaire_retire",
    ),
    path(
        "questionnaires/<id:pk>/items/new/",
        questionnaires.item_create,
        name="questionnaire_item_create",
    ),
    path(
        "questionnaires/<id:pk>/items/<id:item>/edit/",
        questionnaires.item_edit,
        name="questionnaire_item_edit",
    ),
    path(
        "questionnaires/<id:pk>/items/<id:item>/delete/",
        questionnaires.item_delete,
        name="questionnaire_item_delete",
    ),
    path("tasks/", answering.my_tasks, name="my_tasks"),
    path("tasks/<id:pk>/", answering.answer_invitation, name="answer"),
    path("answer/<str:token>/", answering.answer_by_token, name="answer_by_token"),
]
