from django.apps import AppConfig


class ScansConfig(AppConfig):
    name = "selfscan.scans"
    label = "scans"
