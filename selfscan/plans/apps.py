from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "selfscan.plans"
    label = "plans"
