"""Start and finish an OpenID Connect login; the decision is `services.resolve_login`."""

import logging

import requests
from authlib.common.errors import AuthlibBaseError
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from joserfc.errors import JoseError

from . import services
from .client import client_for

logger = logging.getLogger(__name__)
NEXT_KEY = "sso_next"
# What a broken or tampered answer raises: a wrong state, a provider error (an expired or used
# code), a bad ID token (signature, nonce, issuer, audience, expiry), an unreachable provider.
FLOW_ERRORS = (AuthlibBaseError, JoseError, requests.RequestException, ValueError, KeyError)


def _provider(slug: str) -> services.Provider:
    provider = services.get_provider(slug)
    if provider is None:
        raise Http404
    return provider


def refused_page(request: HttpRequest, provider: services.Provider, refusal: services.Refused):
    return render(
        request,
        "sso/refused.html",
        {"provider": provider, "reason": refusal.reason, "email": refusal.email},
        status=403,
    )


@never_cache
def start(request: HttpRequest, provider: str) -> HttpResponse:
    """Public: send the browser to the provider (a link on the login page)."""
    config = _provider(provider)
    next_url = request.GET.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        request.session[NEXT_KEY] = next_url
    else:
        request.session.pop(NEXT_KEY, None)
    redirect_uri = request.build_absolute_uri(reverse("sso:callback", args=[config.slug]))
    try:
        return client_for(config).authorize_redirect(request, redirect_uri)
    except FLOW_ERRORS as error:
        logger.warning("SSO %s: start failed: %r", config.slug, error)
        return refused_page(
            request, config, services.refuse(config, services.FAILED, detail=repr(error))
        )


@never_cache
def callback(request: HttpRequest, provider: str) -> HttpResponse:
    """Public: the provider sends the browser back here with a code (or an error)."""
    config = _provider(provider)
    try:
        token = client_for(config).authorize_access_token(request)
        claims = dict(token["userinfo"])
    except FLOW_ERRORS as error:
        logger.warning("SSO %s: login failed: %r", config.slug, error)
        return refused_page(
            request, config, services.refuse(config, services.FAILED, detail=repr(error))
        )
    outcome = services.resolve_login(config, claims)
    if isinstance(outcome, services.Refused):
        return refused_page(request, config, outcome)
    next_url = request.session.pop(NEXT_KEY, "")
    login(request, outcome.user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect(next_url or "core:home")
