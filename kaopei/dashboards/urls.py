from django.urls import path

from kaopei.dashboards import views, views_cards, views_org, views_people

# The home page and the report cards keep global names (included at /home/ without a
# namespace): ``home``, ``report_card``, ``report_card_pdf``, ``report_cards_start``…
urlpatterns = [
    path("", views.home, name="home"),
    path(
        "cards/<str:code>/<str:employee_no>/",
        views_cards.report_card_preview,
        name="report_card",
    ),
    path(
        "cards/<str:code>/<str:employee_no>/pdf/",
        views_cards.report_card_download,
        name="report_card_pdf",
    ),
    path("cards/<str:code>/", views_cards.report_cards_start, name="report_cards_start"),
    path("card-jobs/<id:job_id>/", views_cards.report_cards_job, name="report_cards_job"),
    path("card-jobs/<id:job_id>/zip/", views_cards.report_cards_zip, name="report_cards_zip"),
]

# The dashboards' own pages, namespace ``dashboards`` (included at /dashboards/).
dashboard_patterns = [
    path("org/", views_org.org, name="org"),
    path("org/units/<str:code>/", views_org.unit, name="unit"),
    path("people/<id:pk>/", views_people.person, name="person"),
]
