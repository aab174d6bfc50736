"""Journey 3: a school team submits its zelfscan and takes the themakaart of a theme home as PDF.

Walked with the keyboard only (Tab, Enter, Space), in Debian's chromium.
"""

import pytest

from selfscan.scans.models import Scan
from tests.browser.helpers import axe_violations, external_requests
from tests.factories import TEST_PASSWORD
from tests.journeys.pdftext import pdf_text
from tests.journeys.steps import download, keep, login, screenshot, tab_to, table_rows
from tests.journeys.world import answer, answer_and_submit, values_by_theme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def keyboard_login(page, base_url, email):
    page.goto(base_url + "/account/inloggen/")
    tab_to(page, "input[name=username]")
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(TEST_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/account/inloggen/" not in page.url


def follow(page, selector):
    """Tab to a link or button and press Enter, then wait for the next page."""
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_school_team_submits_and_downloads_the_themakaart_pdf(page, live_server, year):
    world = year.world
    team = year.user("school")
    base = live_server.url
    # The other schools have submitted already (so the comparison has figures).
    answer_and_submit(
        year.scan(world.school_a2),
        values_by_theme({"T01": 4, "T02": 4, "T03": 4}),
        year.user("school"),
    )
    answer_and_submit(
        year.scan(world.school_b1),
        values_by_theme({"T01": 4, "T02": 3, "T03": 4}),
        year.user("other_school"),
    )
    # The team filled in every statement (journey 2); T02 has one voldoende out of four.
    answer(year.scan(world.school_a1), values_by_theme({"T01": 4, "T02": 1, "T03": 3}), team)

    keyboard_login(page, base, team.email)
    follow(page, "nav a:text-is('Mijn zelfscan')")
    assert page.locator("h1").inner_text() == "Mijn zelfscan"
    follow(page, "table a[href$='/']:has-text('Overzicht')")
    follow(page, "main a:text-is('Controleren en indienen')")

    # The review page: all answered, one button to submit
    assert page.locator("h1").inner_text() == "Controleren en indienen"
    assert "Alle stellingen zijn beantwoord." in page.locator("main").inner_text()
    assert "Nog niet beantwoord" not in page.locator("main").inner_text()
    assert axe_violations(page) == []
    screenshot(page, "j3-1-review")
    # Submitting cannot be undone by the school: the page says so and asks to confirm first.
    assert "Na het indienen kunt u de antwoorden niet meer" in page.locator("main").inner_text()
    tab_to(page, "#submit-confirm")
    page.keyboard.press("Space")
    assert page.locator("#submit-confirm").is_checked()
    tab_to(page, "form[action$='/indienen/'] button")
    with page.expect_navigation():
        page.keyboard.press("Space")
    assert "De zelfscan is ingediend. Dank u wel!" in page.locator(".messages").inner_text()
    assert "ingediend op" in page.locator("dl.facts").inner_text()
    assert Scan.objects.get(pk=year.scan(world.school_a1).pk).status == Scan.Status.SUBMITTED

    # Themakaarten: the school's overview per theme
    follow(page, "nav a:text-is('Themakaarten')")
    follow(page, "main a:text-is('Themakaarten De Eerste')")
    assert page.locator("h1").inner_text() == "Themakaarten De Eerste"
    rows = table_rows(page, "Uw thema's in één oogopslag")
    assert [row[:3] for row in rows] == [
        ["T01 Dyslexie", "100,0%", "✓ op of boven de drempel"],
        ["T02 Rekenen en dyscalculie", "25,0%", "onder de drempel: aandachtspunt"],
        ["T03 Sociaal-emotioneel leren", "75,0%", "onder de drempel: aandachtspunt"],
    ]
    screenshot(page, "j3-2-overview")

    # The themakaart of the theme that needs attention
    follow(page, "main a:text-is('T02 Rekenen en dyscalculie')")
    assert page.locator("h1").inner_text() == "Themakaart T02 Rekenen en dyscalculie"
    assert "De Eerste" in page.locator(".lead").inner_text()
    attention = page.locator("section[aria-labelledby=aandacht]").inner_text()
    for weak in ("T02.02", "T02.03", "T02.04"):
        assert weak in attention
    assert "T02.01" not in attention
    assert axe_violations(page) == []
    assert external_requests(page, base) == []
    screenshot(page, "j3-3-themakaart")

    tab_to(page, "main a:text-is('Download als pdf')")
    name, pdf = download(page, lambda: page.keyboard.press("Enter"))
    assert name == "themakaart-11AA00-T02.pdf"
    assert pdf.startswith(b"%PDF")
    keep(name, pdf)
    text = " ".join(pdf_text(pdf).split())
    assert "Themakaart T02 Rekenen en dyscalculie" in text
    assert "De Eerste (11AA00)" in text
    assert "Zelfscan 2025-2026" in text
    assert "T02.02 Stelling 2.2" in text


def test_themakaart_reads_on_a_phone(phone_page, live_server, year):
    world = year.world
    answer_and_submit(
        year.scan(world.school_a1),
        values_by_theme({"T01": 4, "T02": 1, "T03": 3}),
        year.user("school"),
    )
    page = phone_page
    login(page, live_server.url, year.user("school").email)
    theme = year.themes["T02"]
    page.goto(
        live_server.url
        + f"/resultaten/{year.round.pk}/school/{world.school_a1.pk}/thema/{theme.pk}/"
    )
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Themakaart T02 Rekenen en dyscalculie"
    assert table_rows(page, "Vergelijking met wijk, bestuur en stad")[0][:3] == [
        "Uw school",
        "1",
        "25,0%",
    ]
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert axe_violations(page) == []
    screenshot(page, "j3-4-themakaart-phone")
