from django import template

from selfscan.sso.services import Provider, providers

register = template.Library()


@register.simple_tag
def sso_providers() -> list[Provider]:
    """The login buttons: one per configured provider, none when SSO is off."""
    return providers()
