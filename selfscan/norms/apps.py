from django.apps import AppConfig


class NormsConfig(AppConfig):
    name = "selfscan.norms"
    label = "norms"
