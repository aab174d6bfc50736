from django.urls import path

from . import views

app_name = "results"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:round_id>/school/<int:school_id>/", views.school_overview, name="school_overview"),
    path(
        "<int:round_id>/school/<int:school_id>/thema/<int:theme_id>/",
        views.themakaart,
        name="themakaart",
    ),
    path(
        "<int:round_id>/school/<int:school_id>/thema/<int:theme_id>/pdf/",
        views.themakaart_pdf,
        name="themakaart_pdf",
    ),
    path(
        "<int:round_id>/school/<int:school_id>/rapport/",
        views.school_report,
        name="school_report",
    ),
    path(
        "<int:round_id>/school/<int:school_id>/rapport/pdf/",
        views.school_report_pdf,
        name="school_report_pdf",
    ),
    path("<int:round_id>/bestuur/<int:bestuur_id>/", views.board_dashboard, name="board_dashboard"),
    path("<int:round_id>/stad/", views.city_dashboard, name="city_dashboard"),
    path("<int:round_id>/jaarrapportage.pdf", views.annual_report_pdf, name="annual_report_pdf"),
    path("<int:round_id>/jaarrapportage.xlsx", views.annual_report_xlsx, name="annual_report_xlsx"),
    path("<int:round_id>/stad/excel/", views.city_dashboard_xlsx, name="city_dashboard_xlsx"),
    path("<int:round_id>/stad/drempel/", views.threshold_explorer, name="threshold_explorer"),
    path(
        "<int:round_id>/bestuur/<int:bestuur_id>/drempel/",
        views.board_threshold_explorer,
        name="board_threshold_explorer",
    ),
]
