from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "selfscan.imports"
    label = "imports"
