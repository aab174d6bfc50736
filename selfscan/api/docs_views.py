"""The schema file and the documentation page: our own template, no JavaScript or CDN."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .schema import openapi_yaml, operations


def schema(request: HttpRequest) -> HttpResponse:
    return HttpResponse(openapi_yaml(), content_type="application/yaml; charset=utf-8")


def docs(request: HttpRequest) -> HttpResponse:
    return render(request, "api/docs.html", {"operations": operations()})
