"""Content-Security-Policy and the other security headers (docs/decisions/0004, 0005).

Every URL of the access matrix answers with the policy, whatever the status; the policy is the
strict one; and the HTML we serve holds nothing the policy would block (inline scripts, event
handler attributes, style attributes or elements), so the browser tests in
tests/browser/test_csp.py only have plotly.js itself left to catch.
"""

from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.access.matrix import ANONYMOUS, ROLES, Rule
from tests.access.test_access_matrix import RULES

pytestmark = pytest.mark.django_db

CSP = "Content-Security-Policy"


def policy(response: Any) -> dict[str, list[str]]:
    """The CSP header as {directive: [sources]}."""
    directives: dict[str, list[str]] = {}
    for part in response[CSP].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def _role_for(rule: Rule) -> str:
    """A role that gets the page itself (2xx) when there is one, else whoever is first."""
    for role in [*ROLES, ANONYMOUS]:
        if 200 <= rule.status_for(role) < 300:
            return role
    return ROLES[0]


CASES = [
    pytest.param(rule, _role_for(rule), id=f"{rule.url_name}-{rule.method}-{_role_for(rule)}")
    for rule in RULES
]


class InlineCode(HTMLParser):
    """Collects what a strict CSP blocks: inline scripts and styles, handlers, javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script" and not names.get("src"):
            self.found.append(f"inline <script> at line {self.getpos()[0]}")
        if tag == "style":
            self.found.append(f"<style> element at line {self.getpos()[0]}")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.found.append(f'{name}="{value}" on <{tag}> at line {self.getpos()[0]}')
            if (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"javascript: URL on <{tag}> at line {self.getpos()[0]}")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize(("rule", "role"), CASES)
def test_every_url_answers_with_the_policy_and_serves_no_inline_code(
    client: Client, world: Any, rule: Rule, role: str
) -> None:
    if role != ANONYMOUS:
        client.force_login(world.user(role))
    url = reverse(rule.url_name, kwargs=rule.kwargs(world) if rule.kwargs else {})
    response = getattr(client, rule.method)(url, rule.data(world) if rule.data else {})
    assert response.status_code == rule.status_for(role)
    assert policy(response)["script-src"] == ["'self'"], f"{url}: {response.get(CSP)}"
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        assert inline_code(response.content.decode()) == [], url


def test_pages_that_are_not_found_or_fail_carry_the_policy_too(client: Client, settings) -> None:
    assert CSP in client.get("/bestaat-niet/")
    client.raise_request_exception = False
    settings.ROOT_URLCONF = "tests.security.urls_failing"
    response = client.get("/fout/")
    assert response.status_code == 500
    assert policy(response)["default-src"] == ["'self'"]
    assert inline_code(response.content.decode()) == []


def test_the_policy_is_strict(client: Client) -> None:
    directives = policy(client.get(reverse("accounts:login")))
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    # <style> elements: our files plus two exact hashes, never 'unsafe-inline' (decisions/0005)
    assert directives["style-src"][0] == "'self'"
    assert all(source.startswith("'sha256-") for source in directives["style-src"][1:])
    assert directives["style-src-attr"] == ["'unsafe-inline'"]
    everywhere = [source for sources in directives.values() for source in sources]
    assert "'unsafe-eval'" not in everywhere
    assert not any(source.startswith(("http:", "https:", "*")) for source in everywhere)
    assert "'unsafe-inline'" not in directives["script-src"] + directives["style-src"]


def test_related_security_headers_are_set(client: Client) -> None:
    response = client.get(reverse("core:home"))
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_the_empty_style_hash_is_the_hash_of_nothing() -> None:
    """plotly.js fills an empty <style> through the CSSOM; only an empty one is allowed."""
    import base64
    import hashlib

    from django.conf import settings

    empty = base64.b64encode(hashlib.sha256(b"").digest()).decode()
    assert f"'sha256-{empty}'" == settings.CSP_EMPTY_STYLE
