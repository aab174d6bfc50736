"""DRF authentication by personal API token: `Authorization: Bearer zs_…`."""

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from . import services


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keywords = ("bearer", "token")

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        keyword, _sep, text = header.strip().partition(" ")
        if keyword.lower() not in self.keywords:
            return None
        token = services.find_token(text.strip())
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("Deze API-sleutel is onbekend, verlopen of ingetrokken.")
            )
        services.note_use(token)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the schema names the token: HTTP bearer."""

    target_class = "selfscan.api.authentication.ApiTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "zs_… (API-sleutel / API token)"}
