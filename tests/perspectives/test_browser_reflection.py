"""The comparison page's reflection with JavaScript on (docs/decisions/0253), in chromium: the
autosave stores what is typed, a reload shows it; a stale second tab that conflicts keeps the
text typed in it, through the autosave's conflict and through saving the page."""

import pytest
from django.urls import reverse

from selfscan.scans.models import ThemeReflection
from tests.browser.helpers import axe_violations, login
from tests.perspectives.factories import world_team_scan
from tests.scans.test_browser_journey import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STATUS = "document.getElementById('reflection-status').textContent"
SAVED = f"() => {STATUS} === 'Opgeslagen'"
CONFLICT = f"() => {STATUS} === 'Niet opgeslagen – kies hieronder welk antwoord blijft'"


def stored(scan):
    row = ThemeReflection.objects.filter(scan=scan, theme__code="T01").first()
    return (row.reflection, row.version) if row else None


def compare_url(live_server, scan):
    return live_server.url + reverse("perspectives:compare", kwargs={"pk": scan.pk, "step": "T01"})


def type_reflection(page, text):
    page.click("#reflection-text")
    page.keyboard.type(text)


def test_the_reflection_on_the_comparison_is_autosaved_and_there_after_a_reload(
    page, live_server, world
):
    scan = world_team_scan(world)
    login(page, live_server.url, world.user("school").email)
    page.goto(compare_url(live_server, scan))
    assert page.locator("#reflection-box legend").inner_text() == "Reflectie van de school"
    type_reflection(page, "Samen besproken in het team.")
    page.wait_for_function(SAVED)
    assert stored(scan) == ("Samen besproken in het team.", 1)  # what the page says it saved
    page.reload()
    assert page.input_value("#reflection-text") == "Samen besproken in het team."
    assert page.input_value("input[name='reflection-version']") == "1"
    assert page.locator("#draft-notice").count() == 0  # nothing left unsaved in this browser
    assert axe_violations(page) == []


def test_a_stale_second_tab_keeps_its_typed_text_through_a_conflict(browser, live_server, world):
    scan = world_team_scan(world)
    context = browser.new_context(locale="nl-NL")
    first = context.new_page()
    login(first, live_server.url, world.user("school").email)
    first.goto(compare_url(live_server, scan))
    second = context.new_page()  # a second tab of the same person, loaded before any save
    second.goto(compare_url(live_server, scan))

    type_reflection(first, "Uit het eerste tabblad.")
    first.wait_for_function(SAVED)
    assert stored(scan) == ("Uit het eerste tabblad.", 1)

    # The stale tab's autosave conflicts: its text stays in the field, the other text is shown.
    type_reflection(second, "Uit het tweede tabblad.")
    second.wait_for_function(CONFLICT)
    assert second.input_value("#reflection-text") == "Uit het tweede tabblad."
    box = second.locator("#reflection-box .conflict.js")
    assert "Uit het eerste tabblad." in box.inner_text()
    assert stored(scan) == ("Uit het eerste tabblad.", 1)

    # Saving the page posts the stale version: the page comes back with the typed text in the
    # field and theirs beside it (0253), nothing overwritten.
    with second.expect_navigation():
        second.click("#save-button")
    assert second.input_value("#reflection-text") == "Uit het tweede tabblad."
    conflict = second.locator("#reflection-box .conflict").inner_text()
    assert "Iemand anders was u voor." in conflict
    assert "klik opnieuw op Schoolantwoorden opslaan" in conflict
    assert "Hun reflectie: “Uit het eerste tabblad.”" in conflict
    assert stored(scan) == ("Uit het eerste tabblad.", 1)
    assert axe_violations(second) == []

    # Saving again knowingly keeps the typed text; the first tab sees it after a reload.
    with second.expect_navigation():
        second.click("#save-button")
    assert "De schoolantwoorden van dit thema zijn opgeslagen." in (
        second.locator(".messages").inner_text()
    )
    assert stored(scan) == ("Uit het tweede tabblad.", 2)
    assert second.input_value("#reflection-text") == "Uit het tweede tabblad."
    first.reload()
    assert first.input_value("#reflection-text") == "Uit het tweede tabblad."
    context.close()


def test_mijn_tekst_opslaan_saves_the_stale_tabs_text_over_the_other(browser, live_server, world):
    scan = world_team_scan(world)
    context = browser.new_context(locale="nl-NL")
    first = context.new_page()
    login(first, live_server.url, world.user("school").email)
    first.goto(compare_url(live_server, scan))
    second = context.new_page()
    second.goto(compare_url(live_server, scan))
    type_reflection(first, "Eerst.")
    first.wait_for_function(SAVED)
    type_reflection(second, "Daarna, in het oude tabblad.")
    second.wait_for_function(CONFLICT)
    # The field still has the focus: the click blurs it, and its "change" sends a save with the
    # stale version just before the button asks for one with the new version.
    assert second.evaluate("document.activeElement.id") == "reflection-text"
    second.get_by_role("button", name="Mijn tekst opslaan").click()
    second.wait_for_function(SAVED)
    wait_for(lambda: stored(scan) == ("Daarna, in het oude tabblad.", 2))
    assert second.input_value("#reflection-text") == "Daarna, in het oude tabblad."
    second.reload()
    assert second.input_value("#reflection-text") == "Daarna, in het oude tabblad."
    context.close()


def test_hun_tekst_houden_in_the_stale_tab_keeps_theirs_without_a_second_conflict(
    browser, live_server, world
):
    scan = world_team_scan(world)
    context = browser.new_context(locale="nl-NL")
    first = context.new_page()
    login(first, live_server.url, world.user("school").email)
    first.goto(compare_url(live_server, scan))
    second = context.new_page()
    second.goto(compare_url(live_server, scan))
    type_reflection(first, "Eerst.")
    first.wait_for_function(SAVED)
    type_reflection(second, "Weg te gooien.")
    second.wait_for_function(CONFLICT)
    with second.expect_response(lambda r: r.url.endswith("/opslaan/")) as stale:
        # the click blurs the field: its "change" sends the stale text once more
        second.get_by_role("button", name="Hun tekst houden").click()
    stale.value.finished()
    second.evaluate("() => new Promise(resolve => setTimeout(resolve, 200))")  # let it settle
    assert second.input_value("#reflection-text") == "Eerst."
    assert second.locator("#reflection-box .conflict").count() == 0
    assert second.evaluate(STATUS) == ""
    assert stored(scan) == ("Eerst.", 1)
    second.reload()
    assert second.input_value("#reflection-text") == "Eerst."
    assert second.locator("#draft-notice").count() == 0
    context.close()
