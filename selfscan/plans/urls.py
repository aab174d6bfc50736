from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.index, name="index"),
    path("zelfscan/<int:scan_id>/thema/<int:theme_id>/", views.theme, name="theme"),
    path("zelfscan/<int:scan_id>/thema/<int:theme_id>/toevoegen/", views.add, name="add"),
    path("<int:pk>/wijzigen/", views.edit, name="edit"),
    path("<int:pk>/verwijderen/", views.delete, name="delete"),
    path("school/<int:school_id>/", views.school, name="school"),
    path("bestuur/<int:bestuur_id>/", views.board, name="board"),
]
