from django.apps import AppConfig


class PerspectivesConfig(AppConfig):
    name = "selfscan.perspectives"
    label = "perspectives"
