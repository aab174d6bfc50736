"""A URLconf with one view that fails, to see the project's 500 page as a visitor would."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from selfscan.urls import handler500 as handler500


def fail(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [path("fout/", fail)]
