from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/toepassen/", views.apply, name="apply"),
    path("<int:pk>/opnieuw/", views.retry, name="retry"),
    path(
        "voorbeeld/<int:version_pk>/<slug:layout>.<slug:fmt>",
        views.example,
        name="example",
    ),
]
