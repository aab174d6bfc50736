from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "selfscan.results"
    label = "results"
