from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "selfscan.organisations"
    label = "organisations"
