from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "selfscan.api"
    label = "api"
