from django.urls import include, path

from kaopei.dashboards import views, views_people

# Pages below the home live in the "dashboards" namespace (``dashboards:person``); the home
# keeps its global name ``home``.
dashboard_patterns = (
    [path("people/<id:pk>/", views_people.person, name="person")],
    "dashboards",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("", include(dashboard_patterns)),
]
