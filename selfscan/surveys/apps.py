from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "selfscan.surveys"
    label = "surveys"
