"""The project's URLs plus one page nothing links to, for the coverage guard's own test."""

from django.http import HttpResponse
from django.urls import include, path

urlpatterns = [
    path("", include("selfscan.urls")),
    path("ongelinkt/<int:pk>/", lambda request, pk: HttpResponse("x"), name="unlinked"),
]
