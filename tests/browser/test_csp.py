"""The Content-Security-Policy in a real browser: the key pages load with JavaScript, the browser
reports no violation of the policy, and the charts are still drawn (docs/decisions/0004, 0005)."""

from typing import Any

import pytest
from django.urls import reverse

from selfscan.accounts.models import Role
from selfscan.scans.models import Scan
from selfscan.surveys import services as survey_services
from tests.browser.helpers import login
from tests.factories import UserFactory, make_norm_version
from tests.results.conftest import ten_schools  # noqa: F401  (fixture)
from tests.scans.factories import make_round
from tests.surveys.factories import meeting_survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any script of the page, in every document the page loads.
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(
    e.violatedDirective + " blocked " + e.blockedURI + " at " + e.sourceFile + ":" + e.lineNumber
  );
});
"""


@pytest.fixture
def watched(page: Any) -> Any:
    """The `page`, with every CSP violation and script error it meets recorded."""
    page.add_init_script(WATCH_VIOLATIONS)
    page.problems = []
    page.on(
        "console",
        lambda message: (
            page.problems.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: page.problems.append(f"script error: {error}"))
    return page


def visit(page: Any, base_url: str, path: str) -> list[str]:
    """Load `path` and return what went wrong under the policy (empty when nothing did)."""
    response = page.goto(base_url + path)
    assert response is not None and response.status == 200, path
    assert "script-src 'self'" in response.headers["content-security-policy"], path
    page.wait_for_load_state("networkidle")
    return [*page.evaluate("window.__cspViolations"), *page.problems]


def charts_drawn(page: Any, selector: str) -> int:
    page.wait_for_selector(f"{selector} .plot-container .main-svg")
    return int(page.locator(f"{selector} .plot-container .main-svg").count())


def test_the_policy_is_enforced_not_only_sent(watched, live_server):
    """Guard for the tests below: an inline script really is blocked and reported."""
    visit(watched, live_server.url, "/")
    watched.evaluate(
        "() => { var s = document.createElement('script'); s.textContent = 'window.ran = 1';"
        " document.body.appendChild(s); }"
    )
    watched.wait_for_function("() => window.__cspViolations.length > 0")
    assert watched.evaluate("window.ran") is None
    assert "script-src" in watched.evaluate("window.__cspViolations")[0]


def test_public_pages_keep_the_policy(watched, live_server):
    survey = meeting_survey()
    assert visit(watched, live_server.url, "/") == []
    assert visit(watched, live_server.url, reverse("accounts:login")) == []
    answer_page = reverse("surveys:answer", args=[survey.public_token])
    assert visit(watched, live_server.url, answer_page) == []
    watched.check("input[name=q_gehoord][value=ja]")
    watched.click("main button[type=submit]")
    watched.wait_for_url("**/bedankt/")
    assert watched.evaluate("window.__cspViolations") == []
    assert watched.problems == []


def test_school_home_and_scan_wizard_keep_the_policy(watched, live_server, world):
    version = make_norm_version(key="anbcsp", themes=2, statements_per_theme=2, nvt_every=0)
    scan = Scan.objects.get(round=make_round(version=version, schools=[world.school_a1]))
    login(watched, live_server.url, world.user("school").email)
    assert visit(watched, live_server.url, "/") == []
    assert visit(watched, live_server.url, reverse("scans:wizard", args=[scan.pk])) == []
    assert "/invullen/" in watched.url
    # autosave (static/js/scan.js) posts the answer with fetch under connect-src 'self'
    watched.locator("#scan-form input[type=radio][name$='-value']").first.check()
    watched.wait_for_function(
        "() => [...document.querySelectorAll('.save-status')]"
        ".some(el => el.textContent === 'Opgeslagen')"
    )
    assert scan.answers.exclude(value="").count() == 1
    assert watched.evaluate("window.__cspViolations") == []
    assert watched.problems == []


def test_themakaart_draws_its_chart_under_the_policy(watched, live_server, ten_schools):  # noqa: F811
    school = ten_schools.schools["S1"]
    login(watched, live_server.url, UserFactory(role=Role.SCHOOL, schools=[school]).email)
    r = ten_schools.round.pk
    theme = ten_schools.version.themes.get(code="T01")
    assert visit(watched, live_server.url, f"/resultaten/{r}/school/{school.pk}/") == []
    path = f"/resultaten/{r}/school/{school.pk}/thema/{theme.pk}/"
    assert visit(watched, live_server.url, path) == []
    assert charts_drawn(watched, "#verdeling-city") >= 1
    # the score bar is an SVG sized by attributes; the print button is wired by results.js
    assert watched.locator("svg.bar rect.bar-fill").get_attribute("width") == "100"
    watched.evaluate("window.print = function () { window.printed = true; }")
    watched.click("button[data-print]")
    assert watched.evaluate("window.printed") is True
    assert watched.evaluate("window.__cspViolations") == []


def test_board_and_city_dashboards_draw_their_charts_under_the_policy(
    watched,
    live_server,
    ten_schools,  # noqa: F811
):
    board = UserFactory(role=Role.BOARD, besturen=[ten_schools.besturen["B1"]])
    login(watched, live_server.url, board.email)
    r = ten_schools.round.pk
    bestuur = ten_schools.besturen["B1"].pk
    assert visit(watched, live_server.url, f"/resultaten/{r}/bestuur/{bestuur}/") == []
    # the heatmap has a colour bar and draws its cells as an image (img-src data:)
    assert charts_drawn(watched, "#heatmap") >= 1
    assert watched.locator("#heatmap image").count() >= 1
    watched.hover("#heatmap .nsewdrag", force=True)
    watched.context.clear_cookies()
    login(watched, live_server.url, UserFactory(role=Role.STAFF).email)
    assert visit(watched, live_server.url, f"/resultaten/{r}/stad/") == []
    assert charts_drawn(watched, ".chart") >= 1
    assert watched.evaluate("window.__cspViolations") == []
    assert watched.problems == []


def test_staff_pages_with_qr_code_and_live_charts_keep_the_policy(watched, live_server, world):
    version = make_norm_version(key="anbcspstaff", themes=2, statements_per_theme=2)
    round_ = make_round(version=version, schools=[world.school_a1, world.school_a2])
    survey = meeting_survey()
    questions = survey.questions.order_by("order")
    survey_services.submit_response(
        survey,
        submission_token="c" * 30,
        values={q.pk: v for q, v in zip(questions, [True, False, 4, 8, "Fijn"], strict=True)},
    )
    login(watched, live_server.url, world.user("staff").email)
    assert visit(watched, live_server.url, "/") == []
    assert visit(watched, live_server.url, reverse("rounds:progress", args=[round_.pk])) == []
    assert visit(watched, live_server.url, reverse("surveys:detail", args=[survey.pk])) == []
    assert watched.locator(".qr svg path").count() == 1  # the QR code is inline SVG
    assert visit(watched, live_server.url, reverse("surveys:summary", args=[survey.pk])) == []
    assert charts_drawn(watched, "#summary-body .chart") >= 1
    assert watched.evaluate("window.__cspViolations") == []
    assert watched.problems == []


def test_django_admin_keeps_the_policy(watched, live_server, world):
    login(watched, live_server.url, world.user("admin").email)
    assert visit(watched, live_server.url, "/beheer/django/") == []
    # the group form has the admin's most scripted widget (filter_horizontal)
    assert visit(watched, live_server.url, "/beheer/django/auth/group/add/") == []
    assert watched.locator(".selector-available").count() == 1
