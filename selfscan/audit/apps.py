from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "selfscan.audit"
    label = "audit"
