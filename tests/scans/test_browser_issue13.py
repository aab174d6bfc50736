"""Issue 13 in a real browser: the reflection is saved as typed and survives leaving the page,
editing it and clicking Volgende gives no false conflict, Enter on an answer goes forward."""

import pytest
from django.urls import reverse

from selfscan.scans.models import ReflectionChange, Scan, ThemeReflection
from selfscan.scans.services import save_reflection
from tests.browser.helpers import axe_violations, login
from tests.factories import make_norm_version
from tests.scans.factories import make_round
from tests.scans.test_browser_journey import tab_until, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAVED = "() => document.getElementById('reflection-status').textContent === 'Opgeslagen'"


@pytest.fixture
def small_scan(world):
    version = make_norm_version(key="anbtest", themes=3, statements_per_theme=2, nvt_every=0)
    return Scan.objects.get(round=make_round(version=version, schools=[world.school_a1]))


def step(live_server, scan, code):
    return live_server.url + reverse("scans:step", kwargs={"pk": scan.pk, "step": code})


def reflection(scan):
    row = ThemeReflection.objects.filter(scan=scan, theme__code="T01").first()
    return row.reflection if row else ""


def test_reflection_is_saved_as_typed_and_survives_leaving_through_the_theme_list(
    page, live_server, world, small_scan
):
    login(page, live_server.url, world.user("school").email)
    page.goto(step(live_server, small_scan, "T01"))
    page.click("#reflection-text")
    page.keyboard.type("We signaleren goed.")
    page.wait_for_function(SAVED)
    # what the page says it saved is what the database holds
    assert reflection(small_scan) == "We signaleren goed."
    page.keyboard.type(" Maar we evalueren te weinig.")
    page.click(".step-list a[href$='/T02/']")  # leave at once, before any pause in typing
    page.wait_for_url("**/invullen/T02/")
    wait_for(lambda: reflection(small_scan) == "We signaleren goed. Maar we evalueren te weinig.")
    page.goto(step(live_server, small_scan, "T01"))
    assert page.input_value("#reflection-text") == (
        "We signaleren goed. Maar we evalueren te weinig."
    )
    page.screenshot(path="var/issue13-reflection.png", full_page=True)
    # the history shows who changed the reflection, old and new
    page.goto(live_server.url + reverse("scans:history", kwargs={"pk": small_scan.pk}))
    table = page.locator("table", has_text="Reflectie (oud)")
    assert "We signaleren goed. Maar we evalueren te weinig." in table.inner_text()
    assert str(world.user("school")) in table.inner_text()
    assert axe_violations(page) == []


def test_editing_a_saved_reflection_then_volgende_is_no_conflict(
    page, live_server, world, small_scan
):
    user = world.user("school")
    theme = small_scan.norm_version.themes.get(code="T01")
    save_reflection(
        scan=small_scan,
        theme_id=theme.pk,
        by=user,
        reflection="Eerste gedachte.",
        expected_version=0,
    )
    login(page, live_server.url, user.email)
    page.goto(step(live_server, small_scan, "T01"))
    page.fill("#reflection-text", "")
    page.click("#reflection-text")
    page.keyboard.type("Tweede, betere gedachte.")
    page.click("#next-button")  # straight away, while the autosave may still be under way
    page.wait_for_url("**/invullen/T02/")
    assert "Niet alles is opgeslagen" not in page.content()
    assert reflection(small_scan) == "Tweede, betere gedachte."
    assert not ReflectionChange.objects.filter(new_reflection="").exists()  # never emptied


def test_enter_on_an_answer_goes_to_the_next_step(page, live_server, world, small_scan):
    login(page, live_server.url, world.user("school").email)
    page.goto(step(live_server, small_scan, "T02"))
    tab_until(page, "input[type=radio][name$='-value']")
    page.keyboard.press("Space")
    page.keyboard.press("Enter")
    page.wait_for_url("**/invullen/T03/")
    assert axe_violations(page) == []
