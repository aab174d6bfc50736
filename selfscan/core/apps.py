from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "selfscan.core"
    label = "core"
