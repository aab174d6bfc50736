"""Password login next to SSO: still works, keeps axes' throttle, and is refused for roles that
must use the school's account (SSO_REQUIRED_ROLES)."""

import pytest
from axes.models import AccessAttempt

from selfscan.audit.models import AuditEvent
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

PROVIDER = {
    "slug": "school",
    "issuer": "https://login.example.org",
    "client_id": "c",
    "client_secret": "s",
    "label": "Inloggen met Microsoft",
    "trust_email": False,
}


def _login(client, email, password=TEST_PASSWORD):
    return client.post("/account/inloggen/", {"username": email, "password": password})


def test_login_page_without_providers_has_no_buttons(client, settings):
    settings.SSO_PROVIDERS = []
    page = client.get("/account/inloggen/").content.decode()
    assert "schoolaccount" not in page


def test_login_page_lists_each_provider_and_keeps_next(client, settings):
    second = {**PROVIDER, "slug": "google", "label": "Inloggen met Google"}
    settings.SSO_PROVIDERS = [PROVIDER, second]
    page = client.get("/account/inloggen/?next=/zelfscan/").content.decode()
    assert 'href="/account/inloggen/school/school/?next=/zelfscan/"' in page
    assert 'href="/account/inloggen/school/google/?next=/zelfscan/"' in page
    assert "Inloggen met Microsoft" in page and "Inloggen met Google" in page


def test_unknown_provider_is_404(client, settings):
    settings.SSO_PROVIDERS = [PROVIDER]
    assert client.get("/account/inloggen/school/onbekend/").status_code == 404
    assert client.get("/account/inloggen/school/onbekend/terug/").status_code == 404


def test_password_login_still_works_with_sso_on(client, settings, world):
    settings.SSO_PROVIDERS = [PROVIDER]
    settings.SSO_REQUIRED_ROLES = ["staff", "admin"]
    response = _login(client, world.user("school").email)
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(world.user("school").pk)


def test_password_login_refused_for_a_role_that_must_use_sso(client, settings, world):
    settings.SSO_PROVIDERS = [PROVIDER]
    settings.SSO_REQUIRED_ROLES = ["staff"]
    response = _login(client, world.user("staff").email)
    assert response.status_code == 200
    assert "Voor uw rol is inloggen met het wachtwoord uitgeschakeld" in response.content.decode()
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(action="sso.wachtwoord_geweigerd")
    assert event.actor == world.user("staff")


def test_axes_still_counts_wrong_passwords(client, settings, world):
    settings.SSO_PROVIDERS = [PROVIDER]
    email = world.user("school").email
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, email, password="fout")
    assert AccessAttempt.objects.get(username=email).failures_since_start >= 10
    locked = _login(client, email)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_start_redirects_to_the_provider_with_state_nonce_and_pkce(client, settings, monkeypatch):
    """Without the network: the discovery document as the provider would serve it."""
    settings.SSO_PROVIDERS = [PROVIDER]
    from selfscan.sso.client import client_for
    from selfscan.sso.services import get_provider

    provider = get_provider("school")
    app = client_for(provider)
    monkeypatch.setattr(
        app,
        "load_server_metadata",
        lambda: {"authorization_endpoint": "https://login.example.org/authorize"},
    )
    response = client.get("/account/inloggen/school/school/?next=https://kwaad.example.com/")
    location = response["Location"]
    assert location.startswith("https://login.example.org/authorize?")
    for part in ("state=", "nonce=", "code_challenge=", "code_challenge_method=S256"):
        assert part in location
    assert (
        "redirect_uri=http%3A%2F%2Ftestserver%2Faccount%2Finloggen%2Fschool%2Fschool%2Fterug%2F"
        in location
    )
    assert "sso_next" not in client.session  # an outside next is dropped


@pytest.mark.parametrize("role", [None, "school", "board", "adviser", "staff", "admin"])
def test_callback_without_a_login_in_progress_is_refused_for_everyone(
    client, settings, world, role
):
    """The access rule with SSO on (tests/access/rules_sso.py runs with SSO off)."""
    settings.SSO_PROVIDERS = [PROVIDER]
    if role:
        client.force_login(world.user(role))
    response = client.get("/account/inloggen/school/school/terug/?code=x&state=y")
    assert response.status_code == 403
    assert "Inloggen met uw schoolaccount is niet gelukt" in response.content.decode()
    assert AuditEvent.objects.get(action="sso.geweigerd").changes["reden"] == "mislukt"


def test_invitation_for_a_role_that_must_use_sso_offers_only_the_school_account(
    client, settings, world
):
    from selfscan.accounts import services as account_services

    settings.SSO_PROVIDERS = [PROVIDER]
    settings.SSO_REQUIRED_ROLES = ["staff"]
    user, token = account_services.invite_user(
        email="nieuw-swv@example.org", role="staff", actor=world.user("admin")
    )
    url = f"/account/uitnodiging/{token}/"
    page = client.get(url).content.decode()
    assert 'href="/account/inloggen/school/school/"' in page
    assert 'name="password1"' not in page
    response = client.post(
        url,
        {
            "first_name": "A",
            "last_name": "B",
            "password1": "Xq8!lang-genoeg",
            "password2": "Xq8!lang-genoeg",
        },
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_unreachable_provider_shows_the_refusal_page(client, settings):
    settings.SSO_PROVIDERS = [{**PROVIDER, "slug": "weg", "issuer": "http://127.0.0.1:9"}]
    response = client.get("/account/inloggen/school/weg/")
    assert response.status_code == 403
    assert "Inloggen met uw schoolaccount is niet gelukt" in response.content.decode()
    assert AuditEvent.objects.get(action="sso.geweigerd").changes["reden"] == "mislukt"
