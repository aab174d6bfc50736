from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "selfscan.accounts"
    label = "accounts"
