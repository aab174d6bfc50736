from django.urls import path

from . import views

app_name = "perspectives"

urlpatterns = [
    path("zelfscan/<int:pk>/team/", views.team, name="team"),
    path("zelfscan/<int:pk>/team/functie/", views.start, name="start"),
    path("zelfscan/<int:pk>/team/mijn-antwoorden/", views.resume, name="resume"),
    path("zelfscan/<int:pk>/team/mijn-antwoorden/<str:step>/", views.step, name="step"),
    path("zelfscan/<int:pk>/team/opslaan/", views.save, name="save"),
    path("zelfscan/<int:pk>/team/klaar/", views.finish, name="finish"),
    path("zelfscan/<int:pk>/team/vergelijken/<str:step>/", views.compare, name="compare"),
    path("teamspreiding/", views.spread_index, name="spread_index"),
    path("teamspreiding/<int:round_pk>/", views.spread, name="spread"),
]
