from django.urls import path

from kaopei.facts import views

app_name = "facts"
urlpatterns = [
    path("", views.import_list, name="import_list"),
]
