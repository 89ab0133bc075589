"""The training-effect pages (included by ``kaopei.training.urls``)."""

from django.urls import path

from kaopei.training.views import effect

urlpatterns = [
    path("effect/", effect.effect_index, name="effect_index"),
    path("effect/<str:cycle>/<str:code>/", effect.effect_course, name="effect_course"),
]
