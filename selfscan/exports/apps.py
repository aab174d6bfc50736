from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "selfscan.exports"
    label = "exports"
