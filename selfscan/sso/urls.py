from django.urls import path

from . import views

app_name = "sso"
urlpatterns = [
    path("<slug:provider>/", views.start, name="start"),
    path("<slug:provider>/terug/", views.callback, name="callback"),
]
