"""Improvement actions in a real browser: a team member adds and changes actions on the
0-meting's themakaart (keyboard and mouse), then sees them in the next round's scan step and
themakaart and updates their status there; desktop and phone, axe-clean."""

import pytest
from django.urls import reverse

from selfscan.plans.models import ImprovementAction
from tests.browser.helpers import axe_violations, login
from tests.scans.test_browser_journey import tab_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def themakaart(live_server, round_, scan, theme):
    return live_server.url + reverse(
        "results:themakaart",
        kwargs={"round_id": round_.pk, "school_id": scan.school_id, "theme_id": theme.pk},
    )


def test_add_and_update_actions_on_the_themakaart_and_follow_them_up_next_round(
    page, browser, live_server, world, two_rounds
):
    user = world.user("school")
    login(page, live_server.url, user.email)
    page.goto(themakaart(live_server, two_rounds.zero, two_rounds.zero_scan, two_rounds.zero_theme))
    assert "Bij dit thema zijn nog geen verbeteracties vastgelegd." in page.content()

    # keyboard only: open "Verbeteractie toevoegen", fill it in, submit with Enter
    tab_until(page, "details.add-action summary")
    page.keyboard.press("Enter")
    tab_until(page, "#id_new_what")
    page.keyboard.type("Het ondersteuningsprofiel samen doornemen.")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # the first team member
    tab_until(page, "#id_new_due_on")
    page.keyboard.type("01032025")  # the date picker's own order (locale of the browser)
    typed_date = page.input_value("#id_new_due_on")
    assert typed_date.startswith("2025-")
    tab_until(page, "#id_new_note")
    page.keyboard.type("In de studiedag.")
    tab_until(page, "details.add-action button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=De verbeteractie is toegevoegd.")
    first = ImprovementAction.objects.get()
    assert (first.what, first.owner, first.status, str(first.due_on), first.note) == (
        "Het ondersteuningsprofiel samen doornemen.",
        user,
        "gepland",
        typed_date,
        "In de studiedag.",
    )
    assert "/resultaten/" in page.url  # back on the themakaart

    # mouse: a second action with a free owner name, then change the first one
    page.click("details.add-action summary")
    page.fill("#id_new_what", "Elk half jaar evalueren met ouders.")
    page.fill("#id_new_owner_name", "Werkgroep")
    page.select_option("#id_new_status", "bezig")
    page.click("details.add-action button[type=submit]")
    page.wait_for_selector("text=De verbeteractie is toegevoegd.")
    page.click(f"#actie-{first.pk} summary")
    page.select_option(f"#id_a{first.pk}_status", "bezig")
    page.click(f"#actie-{first.pk} button[type=submit]")
    page.wait_for_selector("text=De verbeteractie is opgeslagen.")
    first.refresh_from_db()
    assert (first.status, first.version) == ("bezig", 2)
    assert axe_violations(page) == []
    page.screenshot(path="var/plans-themakaart-zero.png", full_page=True)

    # the next round's scan step shows them with their status; the team updates one there
    page.goto(
        live_server.url
        + reverse("scans:step", kwargs={"pk": two_rounds.scan.pk, "step": two_rounds.theme.code})
    )
    panel = page.locator(".plans-panel")
    assert "Verbeteracties van vorig jaar (0-meting)" in panel.inner_text()
    assert "Het ondersteuningsprofiel samen doornemen." in panel.inner_text()
    assert "Werkgroep" in panel.inner_text()
    page.select_option(f"#id_s{first.pk}_status", "afgerond")
    page.click(f"#actie-{first.pk} button[type=submit]")
    page.wait_for_selector("text=De verbeteractie is opgeslagen.")
    assert "/invullen/" in page.url  # back on the step
    first.refresh_from_db()
    assert first.status == "afgerond"
    assert axe_violations(page) == []

    # on a phone: the next round's themakaart shows last year's actions, no sideways scroll
    phone = browser.new_context(
        locale="nl-NL", viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True
    )
    p = phone.new_page()
    login(p, live_server.url, user.email)
    p.goto(themakaart(live_server, two_rounds.now, two_rounds.scan, two_rounds.theme))
    text = p.locator(".plans-panel").inner_text()
    assert "Het ondersteuningsprofiel samen doornemen." in text and "Afgerond" in text
    width = p.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 375, f"the themakaart scrolls sideways on a phone ({width}px)"
    assert axe_violations(p) == []
    p.screenshot(path="var/plans-themakaart-phone.png", full_page=True)
    phone.close()
