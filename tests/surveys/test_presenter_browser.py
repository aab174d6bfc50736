"""Presenter mode in chromium: a projector at 1280×720 while 20 respondents answer on their
phones (each in its own browser context); the presenter's screen shows the new counts without
a reload, moves between questions by keyboard only and is axe-clean."""

import os
import tempfile
from pathlib import Path

import pytest
from django.urls import reverse

from selfscan.surveys import services
from selfscan.surveys.models import Response
from tests.browser.helpers import axe_violations, external_requests, login
from tests.surveys.factories import meeting_survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROJECTOR = {"width": 1280, "height": 720}
PHONE = {"width": 375, "height": 667}
SHOTS = Path(os.environ.get("SURVEY_SHOTS", tempfile.gettempdir())) / "surveys-shots"
NEW_COUNTS_WITHIN_MS = 5000  # the "within 5 seconds"; a waiting assertion, not a timing


def answer_on_a_phone(browser, url: str, choice: str) -> None:
    """One respondent: a fresh context (own cookies) with a phone viewport fills in the form."""
    context = browser.new_context(locale="nl-NL", viewport=PHONE, has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(url)
        page.locator(f"input[name=q_gehoord][value={choice}]").check()
        page.locator("button[type=submit].button").click()
        page.wait_for_url("**/bedankt/")
    finally:
        context.close()


def wait_for_count(page, label: str, expected: int) -> None:
    page.wait_for_function(
        "() => { const el = document.querySelector("
        f"'#presenter-results [data-count=\"{label}\"]');"
        f" return el && el.textContent.trim() === '{expected}'; }}",
        timeout=NEW_COUNTS_WITHIN_MS,
    )


@pytest.fixture
def projector(browser):
    context = browser.new_context(locale="nl-NL", viewport=PROJECTOR)
    page = context.new_page()
    page.requested_urls = []
    page.on("request", lambda request: page.requested_urls.append(request.url))
    yield page
    context.close()


def test_presenter_shows_new_counts_while_twenty_phones_answer(
    projector, browser, live_server, world
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    survey = meeting_survey()
    login(projector, live_server.url, world.user("staff").email)
    projector.goto(live_server.url + reverse("surveys:presenter", args=[survey.pk]))
    assert projector.locator("h1").inner_text() == "Voelt u zich gehoord?"
    assert projector.locator("#presenter-results [data-count=ja]").inner_text() == "0"
    projector.evaluate("document.body.dataset.marker = 'same-page'")
    # The join link and QR code are on screen, and nothing is wider or taller than 1280×720.
    assert projector.locator(".presenter-qr svg").is_visible()
    assert survey.public_token in projector.locator(".presenter-url").inner_text()
    assert projector.evaluate("document.documentElement.scrollWidth") <= PROJECTOR["width"]
    assert projector.evaluate("document.documentElement.scrollHeight") <= PROJECTOR["height"]

    url = live_server.url + reverse("surveys:answer", args=[survey.public_token])
    for n in range(10):
        answer_on_a_phone(browser, url, "ja" if n % 5 else "nee")  # 8× ja, 2× nee
    wait_for_count(projector, "ja", 8)
    wait_for_count(projector, "nee", 2)
    for n in range(10):
        answer_on_a_phone(browser, url, "ja" if n % 2 else "nee")  # 5× ja, 5× nee
    assert Response.objects.count() == 20
    wait_for_count(projector, "ja", 13)
    wait_for_count(projector, "nee", 7)
    projector.wait_for_function(
        "() => document.getElementById('presenter-count').textContent.trim() === '20 reacties'",
        timeout=NEW_COUNTS_WITHIN_MS,
    )
    assert projector.evaluate("document.body.dataset.marker") == "same-page"  # no reload
    projector.wait_for_selector("#presenter-results .presenter-chart svg")
    projector.screenshot(path=str(SHOTS / "presenter-1280x720.png"))
    assert axe_violations(projector) == []
    assert external_requests(projector, live_server.url) == []


def test_keyboard_only_navigation_between_questions(projector, live_server, world):
    SHOTS.mkdir(parents=True, exist_ok=True)
    survey = meeting_survey()
    by_key = {q.key: q.pk for q in survey.questions.all()}
    for n, text in enumerate(["Minder papier", "Minder formulieren, meer tijd", "Papier!"]):
        services.submit_response(
            survey, submission_token=f"t{n:031d}", values={by_key["wens"]: text}
        )
    login(projector, live_server.url, world.user("staff").email)
    start = live_server.url + reverse("surveys:presenter", args=[survey.pk])
    projector.goto(start)
    projector.locator("body").focus()
    titles = [projector.locator("h1").inner_text()]
    for _ in range(4):
        with projector.expect_navigation():
            projector.keyboard.press("ArrowRight")
        titles.append(projector.locator("h1").inner_text())
    assert titles == [
        "Voelt u zich gehoord?",
        "Deelt u het campusidee?",
        "Cijfer voor de droom",
        "Cijfer voor de haalbaarheid",
        "Wat moet er beter?",
    ]
    # The last question: open answers and the word view.
    assert "Minder formulieren, meer tijd" in projector.locator(".presenter-answers").inner_text()
    biggest = projector.locator(".presenter-words li.w5").all_inner_texts()
    assert [w.split()[0] for w in biggest] == ["minder", "papier"]  # each in 2 answers
    projector.screenshot(path=str(SHOTS / "presenter-open-1280x720.png"))
    assert axe_violations(projector) == []
    projector.keyboard.press("ArrowRight")  # no next question: stays
    projector.keyboard.press("ArrowLeft")
    projector.wait_for_url("**?vraag=4")
    assert projector.locator("h1").inner_text() == "Cijfer voor de haalbaarheid"
    projector.screenshot(path=str(SHOTS / "presenter-grade-1280x720.png"))
    assert axe_violations(projector) == []
    # The plain links work by Tab and Enter too (without the arrow keys).
    for _ in range(40):
        projector.keyboard.press("Tab")
        if projector.evaluate("document.activeElement.id") == "presenter-next":
            break
    projector.keyboard.press("Enter")
    projector.wait_for_url("**?vraag=5")
    # Hide results until revealed, by keyboard.
    for _ in range(40):
        projector.keyboard.press("Tab")
        if projector.evaluate("document.activeElement.value") == "hide":
            break
    with projector.expect_navigation():
        projector.keyboard.press("Enter")
    assert "verborgen" in projector.locator("#presenter-results").inner_text()
    assert projector.locator(".presenter-answers").count() == 0
    assert axe_violations(projector) == []
    projector.locator("#presenter-reveal").focus()
    with projector.expect_navigation():
        projector.keyboard.press("Enter")
    assert projector.locator(".presenter-answers li").count() == 3
