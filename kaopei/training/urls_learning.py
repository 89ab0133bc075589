"""The training section's front page and the learner's and trainer's own pages."""

from django.urls import path

from kaopei.training.views import hub

urlpatterns = [
    path("", hub.training_home, name="home"),
]
