from django.apps import AppConfig


class NormsConfig(AppConfig):
    name = "selfscan.norms"
    label = "norms"

    def ready(self) -> None:
        from . import cache  # noqa: F401  (connects the signals that keep the cache fresh)
