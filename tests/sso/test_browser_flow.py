"""The whole redirect flow in chromium against the real OpenID Connect provider on loopback
(tests/sso/conftest.py): our login page → the provider's sign-in → our callback."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.management import call_command
from django.utils import timezone

from selfscan.accounts import services as account_services
from selfscan.accounts.models import Invitation, Role, User
from selfscan.audit.models import AuditEvent
from selfscan.scans.models import Scan
from selfscan.sso.models import Identity
from tests.browser.helpers import axe_violations, external_requests
from tests.sso.conftest import SLUG, provider_login
from tests.sso.provider.setup import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

CALLBACK = re.compile(rf".*/account/inloggen/school/{SLUG}/terug/.*")


def _refusals() -> list[str]:
    return [
        event.changes["reden"]
        for event in AuditEvent.objects.filter(action="sso.geweigerd").order_by("pk")
    ]


def _not_logged_in(page, base_url: str) -> None:
    page.goto(f"{base_url}/zelfscan/")
    assert "/account/inloggen/" in page.url


def test_login_page_shows_the_provider_button_accessibly_in_dutch_and_english(
    page, live_server, sso_on
):
    page.goto(f"{live_server.url}/account/inloggen/")
    button = page.get_by_role("link", name="Inloggen met Testschool")
    assert button.get_attribute("href") == f"/account/inloggen/school/{SLUG}/"
    assert page.get_by_role("heading", name="Met uw schoolaccount").is_visible()
    assert axe_violations(page) == []
    assert external_requests(page, live_server.url) == []
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/account/inloggen/")
    assert page.get_by_role("heading", name="With your school account").is_visible()
    assert axe_violations(page) == []


def test_success_links_the_account_and_logs_in(page, live_server, world, sso_on):
    user = world.user("school")
    provider_login(page, live_server.url, user.email, next_url="/zelfscan/")
    assert page.url == f"{live_server.url}/zelfscan/"
    assert page.get_by_role("button", name=re.compile("Uitloggen")).count() == 1
    identity = Identity.objects.get(user=user)
    assert (identity.provider, identity.email) == (SLUG, user.email)
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions[-2:] == ["sso.gekoppeld", "sso.ingelogd"]
    # Out and in again: the link is found by the provider's subject, no new link.
    page.get_by_role("button", name=re.compile("Uitloggen")).click()
    page.context.clear_cookies()
    provider_login(page, live_server.url, user.email)
    assert page.url == f"{live_server.url}/"
    assert Identity.objects.filter(user=user).count() == 1
    assert AuditEvent.objects.filter(action="sso.ingelogd", actor=user).count() == 2


def test_unknown_email_gets_the_dutch_page_and_no_account(page, live_server, world, sso_on):
    accounts_before = User.objects.count()
    provider_login(page, live_server.url, "onbekend@example.org")
    assert CALLBACK.match(page.url)
    assert page.get_by_role("heading").first.inner_text() == (
        "Inloggen met uw schoolaccount is niet gelukt"
    )
    text = page.locator("main").inner_text()
    assert "onbekend@example.org" in text
    assert "Vraag het samenwerkingsverband" in text
    assert axe_violations(page) == []
    assert User.objects.count() == accounts_before
    assert not Identity.objects.exists()
    assert _refusals() == ["onbekend"]
    _not_logged_in(page, live_server.url)


def test_unverified_email_is_refused(page, live_server, world, sso_on):
    provider_login(page, live_server.url, world.user("adviser").email)
    assert "niet bevestigd" in page.locator("main").inner_text()
    assert _refusals() == ["niet-bevestigd"]
    assert not Identity.objects.exists()
    _not_logged_in(page, live_server.url)


def test_deactivated_account_is_refused(page, live_server, world, sso_on):
    user = world.user("other_board")
    User.objects.filter(pk=user.pk).update(is_active=False)
    provider_login(page, live_server.url, user.email)
    assert "gedeactiveerd" in page.locator("main").inner_text()
    assert _refusals() == ["gedeactiveerd"]
    _not_logged_in(page, live_server.url)


def test_deactivated_after_linking_is_refused(page, live_server, world, sso_on):
    user = world.user("school")
    provider_login(page, live_server.url, user.email)
    assert Identity.objects.filter(user=user).exists()
    User.objects.filter(pk=user.pk).update(is_active=False)
    page.context.clear_cookies()
    provider_login(page, live_server.url, user.email)
    assert "gedeactiveerd" in page.locator("main").inner_text()
    assert _refusals() == ["gedeactiveerd"]


def test_wrong_nonce_in_the_id_token_is_refused(page, live_server, world, sso_on):
    provider_login(page, live_server.url, "nonce@example.org")
    assert "kwam niet goed aan" in page.locator("main").inner_text()
    assert _refusals() == ["mislukt"]
    assert "nonce" in AuditEvent.objects.get(action="sso.geweigerd").changes["detail"]
    _not_logged_in(page, live_server.url)


def _held_callback(page, live_server, provider, email: str) -> str:
    """Sign in at the provider, then walk the redirects with the browser context's own cookies
    (its request API) up to, not into, our callback; return the callback URL."""
    page.goto(provider.issuer.removesuffix("/o") + "/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    start = page.context.request.get(
        f"{live_server.url}/account/inloggen/school/{SLUG}/", max_redirects=0
    )
    assert start.status == 302
    authorize = page.context.request.get(start.headers["location"], max_redirects=0)
    assert authorize.status == 302
    callback = authorize.headers["location"]
    assert CALLBACK.match(callback)
    return callback


def test_wrong_state_is_refused(page, live_server, world, sso_on):
    url = _held_callback(page, live_server, sso_on, world.user("school").email)
    page.goto(re.sub(r"state=[^&]+", "state=iemand-anders", url))
    assert "kwam niet goed aan" in page.locator("main").inner_text()
    assert _refusals() == ["mislukt"]
    assert not Identity.objects.exists()
    _not_logged_in(page, live_server.url)


def test_expired_code_is_refused(page, live_server, world, sso_on):
    url = _held_callback(page, live_server, sso_on, world.user("school").email)
    code = parse_qs(urlparse(url).query)["code"][0]
    assert sso_on.expire_code(code) == 1
    page.goto(url)
    assert "kwam niet goed aan" in page.locator("main").inner_text()
    assert _refusals() == ["mislukt"]
    assert "invalid_grant" in AuditEvent.objects.get(action="sso.geweigerd").changes["detail"]
    assert not Identity.objects.exists()
    _not_logged_in(page, live_server.url)


def test_open_invitation_is_accepted_by_the_school_login(page, live_server, world, sso_on):
    user, _token = account_services.invite_user(
        email="nieuw@example.org",
        role=Role.SCHOOL,
        schools=[world.school_a1],
        actor=world.user("staff"),
    )
    provider_login(page, live_server.url, "nieuw@example.org")
    assert page.url == f"{live_server.url}/"
    invitation = Invitation.objects.get(user=user)
    assert invitation.used_at is not None
    user.refresh_from_db()
    assert user.has_usable_password()
    assert Identity.objects.filter(user=user).exists()


def test_expired_invitation_is_refused(page, live_server, world, sso_on):
    user, _token = account_services.invite_user(
        email="nieuw@example.org",
        role=Role.SCHOOL,
        schools=[world.school_a1],
        actor=world.user("staff"),
    )
    Invitation.objects.filter(user=user).update(expires_at=timezone.now())
    provider_login(page, live_server.url, "nieuw@example.org")
    assert "uitnodiging is verlopen" in page.locator("main").inner_text()
    assert _refusals() == ["geen-toegang"]


def test_acceptance_demo_school_user_reaches_her_scan(page, live_server, sso_on):
    call_command("load_demo", verbosity=0)
    email = "school@demo.passendonderwijsalmere.nl"
    user = User.objects.get(email=email)
    scan = Scan.objects.filter(school__in=user.schools.all()).order_by("-round__opens_on").first()
    assert scan is not None
    provider_login(page, live_server.url, email, next_url="/zelfscan/")
    assert page.url == f"{live_server.url}/zelfscan/"
    page.locator(f"main a[href='/zelfscan/{scan.pk}/']").first.click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/zelfscan/{scan.pk}/"
    assert scan.school.name in page.locator("main").inner_text()
    # An unknown address in the same deployment is refused with the Dutch page.
    page.context.clear_cookies()
    provider_login(page, live_server.url, "onbekend@example.org")
    assert "niemand een account" in page.locator("main").inner_text()
