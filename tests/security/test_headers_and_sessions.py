"""Headers, redirects and sessions: framing, open redirects, session fixation, the Django admin."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

EVIL = ["https://evil.example/", "//evil.example/", "/\\evil.example/", "https:evil.example"]


def _login(client: Client, email: str, next_url: str = "") -> Any:
    url = reverse("accounts:login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": email, "password": TEST_PASSWORD, "next": next_url})


def test_pages_cannot_be_framed_and_do_not_sniff(client: Client) -> None:
    response = client.get(reverse("accounts:login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("target", EVIL)
def test_login_never_redirects_off_site(client: Client, world: Any, target: str) -> None:
    response = _login(client, world.user("school").email, target)
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_login_follows_a_local_next(client: Client, world: Any) -> None:
    response = _login(client, world.user("school").email, "/zelfscan/")
    assert response["Location"] == "/zelfscan/"


@pytest.mark.parametrize("target", EVIL)
def test_language_switch_never_redirects_off_site(client: Client, target: str) -> None:
    response = client.post(reverse("set_language"), {"language": "en", "next": target})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    response = client.post(
        reverse("set_language"), {"language": "en"}, HTTP_REFERER=target.replace("//", "//", 1)
    )
    assert "evil.example" not in response["Location"]


def test_login_gives_a_new_session_key(client: Client, world: Any) -> None:
    client.get(reverse("accounts:login"))
    session = client.session
    session["probe"] = "x"
    session.save()
    before = session.session_key
    _login(client, world.user("school").email)
    assert client.session.session_key != before
    assert client.session.get("_auth_user_id") == str(world.user("school").pk)


def test_logout_needs_post_and_ends_the_session(client: Client, world: Any) -> None:
    client.force_login(world.user("school"))
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("role", ["school", "board", "adviser", "staff"])
def test_django_admin_is_for_administrators_only(client: Client, world: Any, role: str) -> None:
    client.force_login(world.user(role))
    response = client.get("/beheer/django/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_django_admin_opens_for_an_administrator(client: Client, world: Any) -> None:
    client.force_login(world.user("admin"))
    assert client.get("/beheer/django/").status_code == 200


def test_state_changing_posts_need_the_csrf_token(world: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("staff"))
    response = client.post(reverse("accounts:user_invite"), {"email": "x@example.org"})
    assert response.status_code == 403


def _callbacks(patterns: list[Any], prefix: str = "") -> list[tuple[str, Any]]:
    from django.urls import URLPattern, URLResolver

    found: list[tuple[str, Any]] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found += _callbacks(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            found.append((prefix + str(pattern.pattern), pattern.callback))
    return found


def test_no_view_is_csrf_exempt() -> None:
    from django.urls import get_resolver

    views = _callbacks(get_resolver().url_patterns)
    assert len(views) > 50
    exempt = [route for route, view in views if getattr(view, "csrf_exempt", False)]
    # Django REST framework marks its views exempt and checks CSRF itself for a session's
    # unsafe methods; the API (/api/v1/) is read-only: its views answer no unsafe method.
    api = [(route, view) for route, view in views if route.startswith("api/v1/")]
    for route, view in api:
        if getattr(view, "csrf_exempt", False):
            handlers = {m for m in ("post", "put", "patch", "delete") if hasattr(view.cls, m)}
            assert handlers == set(), f"{route} answers {handlers}"
    assert [route for route in exempt if not route.startswith("api/v1/")] == []
