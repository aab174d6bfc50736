from django.apps import AppConfig


class RoundsConfig(AppConfig):
    name = "selfscan.rounds"
    label = "rounds"
