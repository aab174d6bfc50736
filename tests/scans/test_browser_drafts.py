"""Issue 19 item 5 in a real browser: answers given after the session ended or while the
network was down are kept in the browser and saved; the person is told what happened."""

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from selfscan.norms.models import Statement
from selfscan.scans.models import Answer, Scan
from tests.browser.helpers import axe_violations, login
from tests.factories import TEST_PASSWORD, UserFactory, make_norm_version
from tests.scans.factories import make_round
from tests.scans.test_browser_journey import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def small_scan(world):
    version = make_norm_version(key="anbtest", themes=2, statements_per_theme=3, nvt_every=0)
    return Scan.objects.get(round=make_round(version=version, schools=[world.school_a1]))


def statements_of(scan, code="T01"):
    return list(
        Statement.objects.filter(version=scan.norm_version, theme__code=code).order_by("order")
    )


def status_is(page, statement, text):
    page.wait_for_function(
        f"t => document.getElementById('s{statement.pk}-status').textContent.startsWith(t)",
        arg=text,
    )


def stored(scan):
    return {a.statement_id: (a.value, a.comment) for a in Answer.objects.filter(scan=scan)}


def test_answers_given_after_the_session_ended_are_restored_after_login(
    page, live_server, world, small_scan
):
    user = world.user("school")
    first, second, third = statements_of(small_scan)
    login(page, live_server.url, user.email)
    page.goto(live_server.url + reverse("scans:step", kwargs={"pk": small_scan.pk, "step": "T01"}))
    page.check(f"#s{first.pk}-v3")
    status_is(page, first, "Opgeslagen")

    Session.objects.all().delete()  # the session ends on the server (timeout, restart)

    page.check(f"#s{second.pk}-v4")
    page.fill(f"#s{second.pk}-comment", "Staat in het zorgplan.")
    page.check(f"#s{third.pk}-v2")
    page.fill("#reflection-text", "Na het verlopen getypt.")
    status_is(page, second, "Niet opgeslagen – u bent niet meer ingelogd")
    status_is(page, third, "Niet opgeslagen – u bent niet meer ingelogd")
    notice = page.locator("#session-notice")
    assert "U bent niet meer ingelogd" in notice.inner_text()
    assert axe_violations(page) == []
    page.screenshot(path="var/drafts-session-ended.png", full_page=True)
    assert stored(small_scan) == {first.pk: ("3", "")}

    page.click("#login-again")  # same tab, the drafts stay in this browser
    page.wait_for_url("**/account/inloggen/**")
    login_again = page.url
    # a colleague logging in on this computer is not offered someone else's drafts
    colleague = UserFactory(email="collega@example.org", schools=[world.school_a1])
    page.fill("input[name=username]", colleague.email)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/invullen/T01/")
    assert page.locator("#draft-notice").count() == 0
    assert not page.is_checked(f"#s{second.pk}-v4")
    page.context.clear_cookies()
    page.goto(login_again)
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/invullen/T01/")
    offer = page.locator("#draft-notice")
    offer.wait_for()
    assert "nog niet zijn opgeslagen" in offer.inner_text()
    assert second.code in offer.inner_text() and third.code in offer.inner_text()
    assert axe_violations(page) == []
    page.screenshot(path="var/drafts-restore-offer.png", full_page=True)
    page.click("#restore-drafts")
    page.locator("#draft-notice .restore-saved").wait_for()
    told = offer.inner_text()
    assert "Hersteld en opgeslagen:" in told
    assert second.code in told and third.code in told
    assert "Niet opgeslagen, want" not in told
    page.screenshot(path="var/drafts-restored.png", full_page=True)
    wait_for(
        lambda: (
            stored(small_scan)
            == {
                first.pk: ("3", ""),
                second.pk: ("4", "Staat in het zorgplan."),
                third.pk: ("2", ""),
            }
        )
    )
    reflection = small_scan.reflections.get()
    assert reflection.reflection == "Na het verlopen getypt."
    assert reflection.updated_by == user
    # saved drafts are cleared: the next visit offers nothing
    page.reload()
    assert page.locator("#draft-notice").count() == 0
    assert page.evaluate("() => Object.keys(localStorage).length") == 0


def test_answers_given_offline_are_saved_when_the_network_returns(
    page, live_server, world, small_scan
):
    first, second, third = statements_of(small_scan)
    login(page, live_server.url, world.user("school").email)
    page.goto(live_server.url + reverse("scans:step", kwargs={"pk": small_scan.pk, "step": "T01"}))
    page.context.set_offline(True)
    page.check(f"#s{first.pk}-v3")
    page.fill(f"#s{first.pk}-comment", "Zonder netwerk getypt.")
    page.check(f"#s{second.pk}-v1")
    status_is(page, first, "Niet opgeslagen")
    status_is(page, second, "Niet opgeslagen")
    page.screenshot(path="var/drafts-offline.png", full_page=True)
    assert stored(small_scan) == {}
    page.context.set_offline(False)  # nothing else: no click, no key
    status_is(page, first, "Opgeslagen")
    status_is(page, second, "Opgeslagen")
    wait_for(
        lambda: (
            stored(small_scan) == {first.pk: ("3", "Zonder netwerk getypt."), second.pk: ("1", "")}
        )
    )
    assert page.evaluate("() => Object.keys(localStorage).length") == 0
    assert third.pk not in stored(small_scan)


def test_without_javascript_the_step_form_comes_back_after_login(
    browser, live_server, world, small_scan
):
    user = world.user("school")
    first, second, _third = statements_of(small_scan)
    context = browser.new_context(locale="nl-NL", java_script_enabled=False)
    page = context.new_page()
    login(page, live_server.url, user.email)
    page.goto(live_server.url + reverse("scans:step", kwargs={"pk": small_scan.pk, "step": "T01"}))
    page.check(f"#s{first.pk}-v3")
    page.fill(f"#s{first.pk}-comment", "Zonder JavaScript getypt.")
    page.check(f"#s{second.pk}-v2")
    Session.objects.all().delete()
    page.click("#next-button")
    page.wait_for_url("**/account/inloggen/**")
    assert stored(small_scan) == {}
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/invullen/T01/?herstel=" in url)
    assert "Uw antwoorden van vóór het inloggen staan klaar" in page.content()
    assert page.is_checked(f"#s{first.pk}-v3") and page.is_checked(f"#s{second.pk}-v2")
    assert page.input_value(f"#s{first.pk}-comment") == "Zonder JavaScript getypt."
    page.screenshot(path="var/drafts-nojs-restored.png", full_page=True)
    page.click("#next-button")
    page.wait_for_url("**/invullen/T02/")
    assert stored(small_scan) == {
        first.pk: ("3", "Zonder JavaScript getypt."),
        second.pk: ("2", ""),
    }
    context.close()
