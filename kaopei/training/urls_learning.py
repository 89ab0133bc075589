"""The training section's front page and the learner's and trainer's own pages."""

from django.urls import path

from kaopei.training.views import hub, learning

urlpatterns = [
    path("", hub.training_home, name="home"),
    path("me/", learning.my_learning, name="my_learning"),
    path("people/<id:pk>/", learning.person_learning, name="person_learning"),
    path("workspace/", learning.trainer_workspace, name="trainer_workspace"),
]
