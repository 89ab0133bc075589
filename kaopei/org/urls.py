from django.urls import path

from kaopei.org import views, views_leaderboard

app_name = "org"
urlpatterns = [
    path("leaderboards/", views_leaderboard.leaderboard_setting, name="leaderboard_setting"),
    path("units/", views.unit_tree, name="unit_tree"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<str:code>/", views.unit_detail, name="unit_detail"),
    path("units/<str:code>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<str:code>/deactivate/", views.unit_deactivate, name="unit_deactivate"),
    path("people/", views.employee_list, name="employee_list"),
    path("people/new/", views.employee_create, name="employee_create"),
    path("people/<str:employee_no>/", views.employee_detail, name="employee_detail"),
    path("people/<str:employee_no>/edit/", views.employee_edit, name="employee_edit"),
    path(
        "people/<str:employee_no>/deactivate/",
        views.employee_deactivate,
        name="employee_deactivate",
    ),
    path(
        "people/<str:employee_no>/password/",
        views.employee_set_password,
        name="employee_set_password",
    ),
    path("levels/", views.level_list, name="level_list"),
    path("levels/new/", views.level_create, name="level_create"),
    path("levels/<str:code>/edit/", views.level_edit, name="level_edit"),
    path("competencies/", views.competency_matrix, name="competency_matrix"),
    path("competencies/new/", views.competency_create, name="competency_create"),
    # Before competencies/<code>/edit/, which would otherwise take "matrix" for a code.
    path("competencies/matrix/edit/", views.matrix_edit, name="matrix_edit"),
    path("competencies/<str:code>/", views.competency_detail, name="competency_detail"),
    path("competencies/<str:code>/edit/", views.competency_edit, name="competency_edit"),
]
