from django.urls import path

from kaopei.dashboards import views, views_org, views_people

# The home page keeps its global name ``home`` (included at /home/ without a namespace).
urlpatterns = [path("", views.home, name="home")]

# The dashboards' own pages, namespace ``dashboards`` (included at /dashboards/).
dashboard_patterns = [
    path("org/", views_org.org, name="org"),
    path("org/units/<str:code>/", views_org.unit, name="unit"),
    path("people/<id:pk>/", views_people.person, name="person"),
]
