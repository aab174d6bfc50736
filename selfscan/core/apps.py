from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "selfscan.core"
    label = "core"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .middleware import mark_session_renewed

        user_logged_in.connect(mark_session_renewed, dispatch_uid="selfscan-session-renewed")
