"""The school team's journey in a real browser (Debian's chromium), keyboard first."""

import time

import pytest
from django.urls import reverse

from selfscan.norms.models import Statement
from selfscan.scans.models import Answer, Scan, ScanEvent, ThemeReflection
from tests.browser.helpers import axe_violations, external_requests, login
from tests.factories import make_norm_version
from tests.scans.factories import make_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tab_until(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches `selector` (keyboard only)."""
    for _ in range(limit):
        if page.evaluate(
            "s => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"never reached {selector} with Tab")


def wait_for(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def test_school_team_fills_in_resumes_and_submits_once(browser, live_server, world):
    version = make_norm_version(key="anbtest", themes=3, statements_per_theme=3, nvt_every=0)
    scan = Scan.objects.get(round=make_round(version=version, schools=[world.school_a1]))
    statements = list(Statement.objects.filter(version=version).order_by("theme__order", "order"))
    first_theme = [s for s in statements if s.theme.code == "T01"]
    user = world.user("school")
    base = live_server.url

    # 1. first sitting: the first theme with the keyboard only
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    page.requested_urls = []
    page.on("request", lambda request: page.requested_urls.append(request.url))
    login(page, base, user.email)
    page.goto(base + reverse("scans:mine"))
    tab_until(page, "a.button[href$='/invullen/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/invullen/T01/")
    assert axe_violations(page) == []
    for st in first_theme:
        tab_until(page, f"input[name='s{st.pk}-value']")
        page.keyboard.press("Space")  # 1
        page.keyboard.press("ArrowDown")  # 2
        page.keyboard.press("ArrowDown")  # 3 Voldoende
        page.wait_for_function(
            f"() => document.getElementById('s{st.pk}-status').textContent === 'Opgeslagen'"
        )
    tab_until(page, "#reflection-text")
    page.keyboard.type("We signaleren goed, maar evalueren te weinig.")
    page.keyboard.press("Tab")  # leaving the field saves it
    page.wait_for_function(
        "() => document.getElementById('reflection-status').textContent === 'Opgeslagen'"
    )
    wait_for(
        lambda: (
            sorted(Answer.objects.filter(scan=scan).values_list("value", flat=True))
            == ["3", "3", "3"]
        )
    )
    tab_until(page, "#next-button")
    page.keyboard.press("Enter")
    page.wait_for_url("**/invullen/T02/")
    assert external_requests(page, base) == []
    context.close()  # the browser is closed: no session, no local state

    # 2. a fresh browser context finds everything and resumes at the right step
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    login(page, base, user.email)
    page.goto(base + reverse("scans:mine"))
    page.click("text=Verder invullen")
    page.wait_for_url("**/invullen/T02/")
    page.goto(base + reverse("scans:mine"))
    assert axe_violations(page) == []
    page.goto(base + reverse("scans:step", kwargs={"pk": scan.pk, "step": "T01"}))
    for st in first_theme:
        assert page.is_checked(f"#s{st.pk}-v3")
    assert page.input_value("#reflection-text") == "We signaleren goed, maar evalueren te weinig."
    page.click("#next-button")
    page.wait_for_url("**/invullen/T02/")

    # 3. complete the other themes (axe on every step)
    for code in ("T02", "T03"):
        assert axe_violations(page) == []
        for st in (s for s in statements if s.theme.code == code):
            page.check(f"#s{st.pk}-v4")
            page.wait_for_function(
                f"() => document.getElementById('s{st.pk}-status').textContent === 'Opgeslagen'"
            )
        page.click("#next-button")
        page.wait_for_load_state()

    # 4. review, then submit twice quickly
    page.wait_for_url("**/controle/")
    assert "Nog niet beantwoord" not in page.content()
    assert axe_violations(page) == []
    # the submit asks for confirmation first (what submitting means)
    page.check("#submit-confirm")
    # two submits at the same moment (a double click that got through twice)
    statuses = page.evaluate(
        """async () => {
            const form = document.querySelector("form[action$='/indienen/']");
            const post = () => fetch(form.action, {method: "POST", body: new FormData(form),
                                                   credentials: "same-origin"});
            const responses = await Promise.all([post(), post()]);
            return responses.map(r => [r.status, r.redirected]);
        }"""
    )
    assert statuses == [[200, True], [200, True]]
    page.goto(base + reverse("scans:overview", kwargs={"pk": scan.pk}))
    assert "ingediend op" in page.content()
    assert axe_violations(page) == []
    wait_for(lambda: Scan.objects.get(pk=scan.pk).status == Scan.Status.SUBMITTED)
    assert ScanEvent.objects.filter(scan=scan, kind=ScanEvent.Kind.SUBMITTED).count() == 1
    assert Answer.objects.filter(scan=scan).count() == 9
    assert ThemeReflection.objects.get(scan=scan, theme__code="T01").reflection.startswith(
        "We signaleren"
    )
    context.close()


def test_progress_screen_is_accessible(page, live_server, world):
    version = make_norm_version(key="anbtest", themes=2, statements_per_theme=2)
    round_ = make_round(
        version=version, schools=[world.school_a1, world.school_a2, world.school_b1]
    )
    login(page, live_server.url, world.user("staff").email)
    page.goto(live_server.url + reverse("rounds:progress", kwargs={"pk": round_.pk}))
    assert "Respons: 0%" in page.content()
    assert axe_violations(page) == []
    page.goto(live_server.url + reverse("rounds:detail", kwargs={"pk": round_.pk}))
    assert axe_violations(page) == []


def test_two_team_members_on_one_statement_see_a_conflict_and_choose(browser, live_server, world):
    from tests.factories import UserFactory

    version = make_norm_version(key="anbtest", themes=1, statements_per_theme=2, nvt_every=0)
    scan = Scan.objects.get(round=make_round(version=version, schools=[world.school_a1]))
    first = Statement.objects.filter(version=version).order_by("order").first()
    director = UserFactory(
        email="directeur@example.org",
        first_name="Dirk",
        last_name="Directeur",
        schools=[world.school_a1],
    )
    step = live_server.url + reverse("scans:step", kwargs={"pk": scan.pk, "step": "T01"})
    pages = []
    for email in (director.email, world.user("school").email):
        context = browser.new_context(locale="nl-NL")
        page = context.new_page()
        login(page, live_server.url, email)
        page.goto(step)  # both see the statement unanswered (version 0)
        pages.append(page)
    dirk, ib = pages
    dirk.check(f"#s{first.pk}-v3")
    dirk.wait_for_function(
        f"() => document.getElementById('s{first.pk}-status').textContent === 'Opgeslagen'"
    )
    ib.check(f"#s{first.pk}-v1")
    notice = ib.locator(f"#s{first.pk} .conflict")
    notice.wait_for()
    assert "Dirk Directeur heeft deze stelling op" in notice.inner_text()
    assert "“Voldoende”" in notice.inner_text()
    assert Answer.objects.get(scan=scan, statement=first).value == "3"  # not overwritten
    assert axe_violations(ib) == []
    ib.click("text=Mijn antwoord opslaan")
    ib.wait_for_function(
        f"() => document.getElementById('s{first.pk}-status').textContent === 'Opgeslagen'"
    )
    answer = Answer.objects.get(scan=scan, statement=first)
    assert (answer.value, answer.version) == ("1", 2)
    # the history shows both, and the page is accessible
    ib.goto(live_server.url + reverse("scans:history", kwargs={"pk": scan.pk}))
    assert "Dirk Directeur" in ib.content()
    assert axe_violations(ib) == []
    for page in pages:
        page.context.close()


def test_nvt_shows_the_explanation_field_and_saves_it(page, live_server, world):
    version = make_norm_version(key="anbtest", themes=1, statements_per_theme=2, nvt_every=2)
    scan = Scan.objects.get(round=make_round(version=version, schools=[world.school_a1]))
    nvt = Statement.objects.get(version=version, nvt_allowed=True)
    login(page, live_server.url, world.user("school").email)
    page.goto(live_server.url + reverse("scans:step", kwargs={"pk": scan.pk, "step": "T01"}))
    field = page.locator(f"#s{nvt.pk} .nvt-field")
    assert field.is_hidden()
    page.check(f"#s{nvt.pk}-vnvt")
    assert field.is_visible()
    page.fill(f"#s{nvt.pk}-nvt", "Geen leerlingen met deze vraag.")
    page.keyboard.press("Tab")
    wait_for(
        lambda: Answer.objects.filter(
            scan=scan, statement=nvt, value="NVT", nvt_explanation="Geen leerlingen met deze vraag."
        ).exists()
    )
    assert axe_violations(page) == []
