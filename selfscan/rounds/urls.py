from django.urls import path

from . import notification_views, views

app_name = "rounds"

urlpatterns = [
    path("", views.round_list, name="list"),
    path("voortgang/", views.latest_progress, name="latest_progress"),
    path("nieuw/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/wijzigen/", views.edit, name="edit"),
    path("<int:pk>/openen/", views.open_round, name="open"),
    path("<int:pk>/sluiten/", views.close_round, name="close"),
    path("<int:pk>/publiceren/", views.publish_round, name="publish"),
    path("<int:pk>/heropenen/", views.reopen_round, name="reopen"),
    path("<int:pk>/verlengen/", views.extend_round, name="extend"),
    path("<int:pk>/herinneren/", notification_views.remind, name="remind"),
    path("<int:pk>/voortgang/", views.progress, name="progress"),
    path("zelfscan/<int:pk>/heropenen/", views.reopen_scan, name="reopen_scan"),
    path("zelfscan/<int:pk>/herinneren/", notification_views.remind_school, name="remind_school"),
    path(
        "zelfscan/<int:pk>/contact-uitnodigen/",
        notification_views.invite_contact,
        name="invite_contact",
    ),
    path(
        "zelfscan/<int:pk>/teamlid/<int:user_pk>/uitnodigen/",
        notification_views.reinvite_member,
        name="reinvite_member",
    ),
    path(
        "<int:pk>/voortgang/export.<str:file_format>",
        notification_views.export,
        name="progress_export",
    ),
]
