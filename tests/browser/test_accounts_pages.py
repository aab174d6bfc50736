"""Axe-core on the register, user, audit and account pages; the session-expiry warning."""

import pytest

from selfscan.audit.services import record
from tests.browser.helpers import axe_violations, external_requests, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STAFF_PAGES = [
    "/register/scholen/",
    "/register/scholen/?q=de&sector=PO",
    "/register/scholen/nieuw/",
    "/register/besturen/",
    "/register/besturen/nieuw/",
    "/register/import/",
    "/register/wijken/",
    "/register/wijken/nieuw/",
    "/account/gebruikers/",
    "/account/gebruikers/uitnodigen/",
    "/account/gebruikers/uitnodigen/scholen/",
    "/auditlog/",
]


def test_staff_pages_pass_axe(page, live_server, world):
    record(
        actor=world.user("staff"),
        action="school.gewijzigd",
        obj=world.school_a1,
        changes={"wijk": ["Stad 1", "Stad 2"]},
    )
    login(page, live_server.url, world.user("staff").email)
    pages = [
        *STAFF_PAGES,
        f"/register/scholen/{world.school_a1.pk}/",
        f"/register/scholen/{world.school_a1.pk}/wijzigen/",
        f"/register/besturen/{world.bestuur_a.pk}/",
        f"/register/besturen/{world.bestuur_a.pk}/wijzigen/",
        f"/account/gebruikers/{world.user('school').pk}/",
    ]
    for path in pages:
        page.goto(live_server.url + path)
        assert page.locator("h1").count() == 1, path
        assert axe_violations(page) == [], path
    assert external_requests(page, live_server.url) == []


def test_form_errors_pass_axe(page, live_server, world):
    login(page, live_server.url, world.user("staff").email)
    page.goto(live_server.url + "/register/scholen/nieuw/")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    assert axe_violations(page) == []


def test_import_dry_run_and_errors_pass_axe(page, live_server, world, tmp_path):
    from tests.organisations.duo import Row, duo_file

    login(page, live_server.url, world.user("staff").email)
    good = tmp_path / "duo.csv"
    good.write_bytes(
        duo_file(
            [
                Row(bestuur="41001", code="11AA00", name="De Eerste", wijk="Stad 2"),
                Row(bestuur="41001", code="70AQ00", name="Nieuwkomer"),
            ]
        )
    )
    page.goto(live_server.url + "/register/import/")
    page.set_input_files("input[name=file]", str(good))
    page.click("main form[enctype] button[type=submit]")
    page.wait_for_load_state()
    assert "Proefrun" in page.locator("#import-result").inner_text()
    assert axe_violations(page) == []
    page.click("text=Wijzigingen doorvoeren")
    page.wait_for_load_state()
    assert "Import doorgevoerd: 1 nieuw, 1 gewijzigd" in page.locator(".messages").inner_text()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(duo_file([Row(bestuur="99999", code="XX", name="")]))
    page.goto(live_server.url + "/register/import/")
    page.set_input_files("input[name=file]", str(bad))
    page.click("main form[enctype] button[type=submit]")
    page.wait_for_load_state()
    assert "rij 2, kolom VESTIGINGSCODE" in page.locator(".error-summary").inner_text()
    assert axe_violations(page) == []


def test_public_account_pages_pass_axe(page, live_server, world):
    for path in [
        "/account/wachtwoord-vergeten/",
        "/account/wachtwoord-vergeten/verstuurd/",
        "/account/wachtwoord-herstellen/MQ/ongeldig/",
        "/account/wachtwoord-herstellen/klaar/",
        "/account/uitnodiging/onbekend/",
    ]:
        page.goto(live_server.url + path)
        assert page.locator("h1").count() == 1, path
        assert axe_violations(page) == [], path


def test_invitation_accept_page_passes_axe(page, live_server, world):
    from selfscan.accounts.services import invite_user

    _user, token = invite_user(email="nieuw@example.org", role="staff", actor=None)
    page.goto(f"{live_server.url}/account/uitnodiging/{token}/")
    assert page.locator("h1").inner_text() == "Uitnodiging aannemen"
    assert axe_violations(page) == []


def test_lockout_page_passes_axe(page, live_server, world):
    for attempt in range(10):
        login(page, live_server.url, world.user("school").email, password=f"fout-{attempt}")
    assert page.locator("h1").inner_text() == "Account tijdelijk geblokkeerd"
    assert axe_violations(page) == []


def test_school_user_sees_own_school_page_and_not_another(page, live_server, world):
    login(page, live_server.url, world.user("school").email)
    page.goto(f"{live_server.url}/register/scholen/{world.school_a1.pk}/")
    assert page.locator("h1").inner_text() == "De Eerste"
    assert axe_violations(page) == []
    response = page.goto(f"{live_server.url}/register/scholen/{world.school_b1.pk}/")
    assert response.status == 404


def test_session_warning_appears_and_stay_logged_in_renews(page, live_server, world, settings):
    # A 302-second session warns after 2 seconds (300 seconds before the end).
    settings.SESSION_COOKIE_AGE = 302
    login(page, live_server.url, world.user("school").email)
    page.goto(live_server.url + "/")
    dialog = page.locator("[role=alertdialog]")
    dialog.wait_for(timeout=6000)
    assert "Uw sessie verloopt over 5 minuten" in dialog.inner_text()
    assert page.evaluate("document.activeElement.textContent") == "Ingelogd blijven"
    assert axe_violations(page) == []
    with page.expect_response("**/account/sessie-verlengen/") as response_info:
        page.get_by_role("button", name="Ingelogd blijven").click()
    assert response_info.value.status == 204
    # Closed at once; it comes back 300 seconds before the renewed session ends (here: 2 s).
    page.locator("[role=alertdialog]").wait_for(state="detached", timeout=2000)
