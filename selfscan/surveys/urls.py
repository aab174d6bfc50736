from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    # Public answering: only the unguessable link, no login.
    path("v/<str:token>/", views.answer, name="answer"),
    path("v/<str:token>/bedankt/", views.thanks, name="thanks"),
    # Partnership staff.
    path("vragenlijsten/", views.survey_list, name="list"),
    path("vragenlijsten/nieuw/", views.survey_create, name="create"),
    path("vragenlijsten/inlezen/", views.survey_upload, name="upload"),
    path("vragenlijsten/<int:pk>/", views.survey_detail, name="detail"),
    path("vragenlijsten/<int:pk>/wijzigen/", views.survey_edit, name="edit"),
    path("vragenlijsten/<int:pk>/openen-sluiten/", views.survey_open_close, name="open_close"),
    path("vragenlijsten/<int:pk>/qr.svg", views.survey_qr, name="qr"),
    path("vragenlijsten/<int:pk>/kopieren/", views.survey_copy, name="copy"),
    path("vragenlijsten/<int:pk>/definitie.yaml", views.survey_definition, name="definition"),
    path("vragenlijsten/<int:pk>/onderdelen/nieuw/", views.section_add, name="section_add"),
    path(
        "vragenlijsten/<int:pk>/onderdelen/<int:section_pk>/",
        views.section_edit,
        name="section_edit",
    ),
    path(
        "vragenlijsten/<int:pk>/onderdelen/<int:section_pk>/verplaatsen/",
        views.section_move,
        name="section_move",
    ),
    path(
        "vragenlijsten/<int:pk>/onderdelen/<int:section_pk>/verwijderen/",
        views.section_delete,
        name="section_delete",
    ),
    path("vragenlijsten/<int:pk>/vragen/nieuw/", views.question_add, name="question_add"),
    path(
        "vragenlijsten/<int:pk>/vragen/<int:question_pk>/",
        views.question_edit,
        name="question_edit",
    ),
    path(
        "vragenlijsten/<int:pk>/vragen/<int:question_pk>/verplaatsen/",
        views.question_move,
        name="question_move",
    ),
    path(
        "vragenlijsten/<int:pk>/vragen/<int:question_pk>/verwijderen/",
        views.question_delete,
        name="question_delete",
    ),
    path(
        "vragenlijsten/<int:pk>/vragen/<int:question_pk>/coderen/",
        views.coding,
        name="coding",
    ),
    path("vragenlijsten/<int:pk>/samenvatting/", views.summary, name="summary"),
    path("vragenlijsten/<int:pk>/samenvatting/live/", views.summary_live, name="summary_live"),
    path(
        "vragenlijsten/<int:pk>/samenvatting.<str:fmt>",
        views.export_summary,
        name="export_summary",
    ),
    path("vragenlijsten/<int:pk>/presenteren/", views.presenter, name="presenter"),
    path("vragenlijsten/<int:pk>/presenteren/live/", views.presenter_live, name="presenter_live"),
    path(
        "vragenlijsten/<int:pk>/presenteren/tonen/",
        views.presenter_switch,
        name="presenter_switch",
    ),
    path("vragenlijsten/<int:pk>/uitsplitsing/", views.breakdown, name="breakdown"),
    path(
        "vragenlijsten/<int:pk>/uitsplitsing.<str:fmt>",
        views.export_breakdown,
        name="export_breakdown",
    ),
    path(
        "vragenlijsten/<int:pk>/reacties.<str:fmt>",
        views.export_responses,
        name="export_responses",
    ),
]
