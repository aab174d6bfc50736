"""Login throttling with the real django-axes backend, password reset end to end, Argon2,
session keep-alive."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.hashers import get_hasher
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, email, password):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def test_ten_wrong_passwords_lock_the_account(client, world):
    email = world.user("school").email
    assert "axes.backends.AxesStandaloneBackend" in settings.AUTHENTICATION_BACKENDS
    for attempt in range(9):
        response = _login(client, email, f"fout-{attempt}")
        assert response.status_code == 200, attempt
        assert "horen niet bij elkaar" in response.content.decode()
    response = _login(client, email, "fout-9")  # the tenth
    assert response.status_code == 429
    assert "Account tijdelijk geblokkeerd" in response.content.decode()
    # Now even the right password is refused, and nobody is logged in.
    response = _login(client, email, TEST_PASSWORD)
    assert response.status_code == 429
    assert not response.wsgi_request.user.is_authenticated
    # Another account on the same address is not locked (lock per account, decision 0003).
    response = _login(client, world.user("board").email, TEST_PASSWORD)
    assert response.status_code == 302


def test_lockout_ends_after_the_cooloff(client, world):
    from axes.models import AccessAttempt

    email = world.user("school").email
    for attempt in range(10):
        _login(client, email, f"fout-{attempt}")
    assert _login(client, email, TEST_PASSWORD).status_code == 429
    AccessAttempt.objects.all().delete()  # what axes' cool-off does after AXES_COOLOFF_TIME
    assert _login(client, email, TEST_PASSWORD).status_code == 302


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_password_reset_end_to_end(client, world):
    user = world.user("school")
    response = client.post(reverse("accounts:password_reset"), {"email": user.email.upper()})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Nieuw wachtwoord voor de zelfscan basisondersteuning"
    link = re.search(r"http://testserver(/account/wachtwoord-herstellen/\S+/)", message.body)
    response = client.get(link.group(1), follow=True)
    assert response.status_code == 200
    assert "Nieuw wachtwoord kiezen" in response.content.decode()
    set_url = response.redirect_chain[-1][0]
    response = client.post(
        set_url, {"new_password1": "Polder-Licht-2027", "new_password2": "Polder-Licht-2027"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("Polder-Licht-2027")
    assert _login(client, user.email, "Polder-Licht-2027").status_code == 302
    # The link works once.
    client.logout()
    response = client.get(link.group(1), follow=True)
    assert "Deze link werkt niet meer" in response.content.decode()


def test_password_reset_for_unknown_address_sends_nothing_and_reveals_nothing(client, world):
    response = client.post(reverse("accounts:password_reset"), {"email": "niemand@example.org"})
    assert response.status_code == 302 and mail.outbox == []


def test_passwords_are_hashed_with_argon2_in_production_settings(world, settings):
    from selfscan import settings as project

    # tests/conftest.py switches to MD5 for speed; restore the project's own hashers here.
    settings.PASSWORD_HASHERS = project.PASSWORD_HASHERS
    user = world.user("school")
    user.set_password("Polder-Licht-2027")
    assert user.password.startswith("argon2$")
    assert get_hasher("default").algorithm == "argon2"
    assert user.check_password("Polder-Licht-2027")


def test_keep_alive_renews_the_session_and_pages_carry_the_warning_script(client, world):
    client.force_login(world.user("school"))
    html = client.get(reverse("core:home")).content.decode()
    assert "js/session-timeout.js" in html
    assert f'data-session-age="{settings.SESSION_COOKIE_AGE}"' in html
    assert 'data-keep-alive-url="/account/sessie-verlengen/"' in html
    response = client.post(reverse("accounts:keep_alive"))
    assert response.status_code == 204
    assert response.cookies["sessionid"]["max-age"] == settings.SESSION_COOKIE_AGE


def test_anonymous_pages_have_no_session_script(client):
    assert "session-timeout.js" not in client.get(reverse("core:home")).content.decode()


@pytest.mark.parametrize("typed", ["upper", "title", "spaces"])
def test_login_with_the_address_in_capitals_works(client, world, typed):
    email = world.user("school").email
    variants = {"upper": email.upper(), "title": email.title(), "spaces": f"  {email.upper()} "}
    response = _login(client, variants[typed], TEST_PASSWORD)
    assert response.status_code == 302
    assert response.wsgi_request.user == world.user("school")


def test_wrong_passwords_in_any_capitals_count_against_one_account(client, world):
    from axes.models import AccessAttempt

    email = world.user("school").email
    for attempt in range(9):
        typed = email.upper() if attempt % 2 else email
        assert _login(client, typed, f"fout-{attempt}").status_code == 200
    assert _login(client, email.title(), "fout-9").status_code == 429
    assert _login(client, email, TEST_PASSWORD).status_code == 429
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {email}


def test_a_successful_login_in_capitals_resets_the_failures(client, world):
    from axes.models import AccessAttempt

    email = world.user("school").email
    _login(client, email, "fout")
    assert AccessAttempt.objects.filter(username=email).exists()
    assert _login(client, email.upper(), TEST_PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username=email).exists()


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_an_invitation_for_an_address_in_capitals_is_refused_as_existing(client, world):
    client.force_login(world.user("staff"))
    response = client.post(
        reverse("accounts:user_invite"),
        {"email": world.user("school").email.upper(), "role": "school"},
    )
    assert response.status_code == 200
    assert len(mail.outbox) == 0
