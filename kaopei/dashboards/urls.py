from django.urls import path

from kaopei.dashboards import views

urlpatterns = [path("", views.home, name="home")]
