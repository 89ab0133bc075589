from django.urls import path

from kaopei.dashboards import views, views_cards

urlpatterns = [
    path("", views.home, name="home"),
    # report cards (views_cards.py)
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
