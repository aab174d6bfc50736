"""Journeys in chromium: answering on a phone by keyboard, and live results on a meeting screen."""

import datetime as dt
import secrets

import pytest
from django.urls import reverse
from django.utils import timezone

from selfscan.surveys import services
from selfscan.surveys.models import Answer, Response
from tests.browser.helpers import axe_violations, external_requests, login
from tests.surveys.factories import add_section, meeting_survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 667}


def tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"never reached {selector} with Tab")


def post_as_new_respondent(browser, url: str, answers: dict[str, str]) -> None:
    """A real HTTP GET and POST of the public form from a fresh browser context (own cookies)."""
    context = browser.new_context()
    try:
        context.request.get(url)
        csrf = next(c["value"] for c in context.cookies() if c["name"] == "csrftoken")
        response = context.request.post(
            url,
            form={
                **answers,
                "csrfmiddlewaretoken": csrf,
                "submission_token": secrets.token_urlsafe(24),
            },
            headers={"Referer": url},
            max_redirects=0,
        )
        assert response.status == 302, response.text()[:300]
    finally:
        context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="nl-NL", viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.requested_urls = []
    page.on("request", lambda request: page.requested_urls.append(request.url))
    yield page
    context.close()


def test_answering_on_a_phone_by_keyboard(phone, live_server):
    survey = meeting_survey()
    survey.questions.filter(key="gehoord").update(required=True)
    add_section(survey, "Over de bijeenkomst")
    phone.goto(live_server.url + reverse("surveys:answer", args=[survey.public_token]))
    assert phone.locator("h1").inner_text() == "Bijeenkomst"
    assert axe_violations(phone) == []
    # nothing is wider than the phone
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # submit empty first: the required question is reported and nothing is stored
    tab_to(phone, "button[type=submit].button")
    phone.keyboard.press("Enter")
    phone.wait_for_load_state()
    assert "Beantwoord deze vraag." in phone.locator(".error-summary").inner_text()
    assert Response.objects.count() == 0
    assert axe_violations(phone) == []

    tab_to(phone, "input[name=q_gehoord]")
    phone.keyboard.press("Space")  # "Ja"
    tab_to(phone, "input[name=q_campus]")
    phone.keyboard.press("ArrowRight")  # "Nee"
    tab_to(phone, "input[name=q_droom]")
    for _ in range(3):
        phone.keyboard.press("ArrowRight")  # 1 → 4
    tab_to(phone, "input[name=q_haalbaarheid]")
    phone.keyboard.press("Space")
    for _ in range(6):
        phone.keyboard.press("ArrowRight")  # 1 → 7
    tab_to(phone, "textarea[name=q_wens]")
    phone.keyboard.type("Meer tijd voor overleg")
    tab_to(phone, "button[type=submit].button")
    phone.keyboard.press("Enter")
    phone.wait_for_url("**/bedankt/")
    assert "Bedankt voor uw antwoorden" in phone.locator("h1").inner_text()
    assert axe_violations(phone) == []
    stored = {a.question.key: a.value for a in Answer.objects.select_related("question")}
    assert stored == {
        "gehoord": True,
        "campus": False,
        "droom": 4,
        "haalbaarheid": 7,
        "wens": "Meer tijd voor overleg",
    }
    assert external_requests(phone, live_server.url) == []

    # the same browser cannot answer twice
    phone.goto(live_server.url + reverse("surveys:answer", args=[survey.public_token]))
    assert "al ingevuld" in phone.locator("main").inner_text()


def test_summary_updates_while_responses_arrive(page, browser, live_server, world):
    survey = meeting_survey()
    login(page, live_server.url, world.user("staff").email)
    page.goto(live_server.url + reverse("surveys:summary", args=[survey.pk]))
    assert page.locator("#response-count").inner_text() == "0"
    marker = page.evaluate("document.querySelector('h1').dataset.marker = 'same-page'")
    assert marker == "same-page"
    url = live_server.url + reverse("surveys:answer", args=[survey.public_token])
    for value in ("ja", "ja", "nee"):
        post_as_new_respondent(browser, url, {"q_gehoord": value, "q_droom": "4"})
    assert Response.objects.count() == 3
    page.wait_for_function(
        "() => document.getElementById('response-count').textContent.trim() === '3'", timeout=20000
    )
    # updated in place, without a reload
    assert page.evaluate("document.querySelector('h1').dataset.marker") == "same-page"
    assert page.locator("#live-status").inner_text() == "3 reacties"
    assert "2× ja, 1× nee, 0× blanco" in page.locator("#summary-body").inner_text()
    page.wait_for_selector("#summary-body .chart svg")
    assert axe_violations(page) == []
    assert external_requests(page, live_server.url) == []


def test_staff_pages_are_accessible(page, live_server, world):
    survey = meeting_survey()
    services.submit_response(
        survey,
        submission_token="t" * 30,
        values={
            q.pk: v
            for q, v in zip(
                survey.questions.order_by("order"), [True, None, 4, 8, "Fijn"], strict=True
            )
        },
    )
    question = survey.questions.get(key="wens")
    section = add_section(survey, "Over u")
    services.create_category(question, by=None, name="Positief")
    services.create_category(question, by=None, name="Overig")
    login(page, live_server.url, world.user("staff").email)
    for url in (
        reverse("surveys:list"),
        reverse("surveys:create"),
        reverse("surveys:upload"),
        reverse("surveys:detail", args=[survey.pk]),
        reverse("surveys:question_add", args=[survey.pk]),
        reverse("surveys:question_edit", args=[survey.pk, question.pk]),
        reverse("surveys:edit", args=[survey.pk]),
        reverse("surveys:section_edit", args=[survey.pk, section.pk]),
        reverse("surveys:coding", args=[survey.pk, question.pk]),
        reverse("surveys:summary", args=[survey.pk]),
        reverse("surveys:breakdown", args=[survey.pk]),
        reverse("surveys:question_add", args=[survey.pk]) + "?kind=grade",
        reverse("surveys:question_add", args=[survey.pk]) + "?kind=single_choice",
    ):
        page.goto(live_server.url + url)
        assert page.locator("h1").count() == 1, url
        assert axe_violations(page) == [], url
    assert "Vragenlijsten" in page.locator("nav.main-nav").inner_text()


def test_closed_and_unknown_links_are_dutch_and_accessible(page, live_server):
    survey = meeting_survey(closes_at=timezone.now() - dt.timedelta(hours=1))
    page.goto(live_server.url + reverse("surveys:answer", args=[survey.public_token]))
    assert "Deze vragenlijst is gesloten" in page.locator("main").inner_text()
    assert axe_violations(page) == []
    page.goto(live_server.url + reverse("surveys:answer", args=["onbekend-" + "x" * 24]))
    assert page.locator("h1").inner_text() == "Vragenlijst niet gevonden"
    assert axe_violations(page) == []


def test_live_polling_pauses_while_the_tab_is_hidden(page, live_server, world):
    survey = meeting_survey()
    login(page, live_server.url, world.user("staff").email)
    page.goto(live_server.url + reverse("surveys:summary", args=[survey.pk]))

    def polls() -> int:
        return sum(1 for url in page.requested_urls if "/samenvatting/live/" in url)

    page.wait_for_timeout(4500)
    assert polls() >= 1  # polling while visible
    page.evaluate(
        "Object.defineProperty(document, 'hidden', {configurable: true, get: () => true});"
        "document.dispatchEvent(new Event('visibilitychange'));"
    )
    before = polls()
    page.wait_for_timeout(9000)  # two polling intervals
    assert polls() == before
    page.evaluate(
        "Object.defineProperty(document, 'hidden', {configurable: true, get: () => false});"
        "document.dispatchEvent(new Event('visibilitychange'));"
    )
    page.wait_for_timeout(1000)
    assert polls() == before + 1  # one poll at once when the tab is shown again
