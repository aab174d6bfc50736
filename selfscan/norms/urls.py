from django.urls import path

from . import views

app_name = "norms"
urlpatterns = [
    path("", views.index, name="index"),
    path("uploaden/", views.upload, name="upload"),
    path("uploaden/publiceren/", views.publish, name="publish"),
    path("<slug:key>/<str:label>/", views.version_detail, name="version"),
    path("<slug:key>/<str:label>/wijzigingen/", views.changes, name="changes"),
]
