"""Journey 6: a school team answers on its own, compares, agrees and submits (issue 15).

Who: three members of De Eerste in a round with team perspectives, each on their own computer:
Anna (leerkracht, mouse), Dirk (directie, keyboard only) and Sam, the coordinator (intern
begeleider, mouse). Then the board of the school.

Steps and what they must see:
1. Each member opens the team page from the scan's overview, chooses a function, answers every
   statement of the three themes (every click says "Opgeslagen") with a comment on the first,
   and reports finished. Anna says 2 (matig) everywhere, Dirk 4 (goed), Sam 3 (voldoende).
2. Sam's team page lists all three by name and function, each finished.
3. Sam opens the comparison of T01: every statement is flagged as a disagreement (2 to 4 spans
   two levels and crosses the voldoende line), the table counts one answer per level and
   function, every comment is there, and the median (3) is proposed. Sam saves it; in T02 he
   lowers two statements to 2 before saving, T03 he saves as proposed. He submits.
4. The themakaarten show T01 100%, T02 50%, T03 100%: the school answers, not the members'.
5. The board crawls every page and export it can reach: no member's comment anywhere; its
   spread page shows the school without names.
"""

import pytest
from django.urls import reverse

from selfscan.norms.models import Statement
from selfscan.perspectives.models import IndividualAnswer, TeamPerspective
from selfscan.rounds.models import Round
from selfscan.scans.models import Answer, Scan
from tests.browser.helpers import axe_violations, external_requests
from tests.factories import UserFactory
from tests.journeys.steps import login, screenshot, tab_to, table_rows
from tests.perspectives.test_privacy import _crawl, _exports

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMMENTS = {
    "anna": "Anna-eigen: in groep 5 merk ik hier weinig van.",
    "dirk": "Dirk-eigen: dit staat goed in ons profiel.",
    "sam": "Sam-eigen: op papier goed, in de klas wisselend.",
}


def _wait_saved(page, statement):
    page.wait_for_function(
        "id => document.getElementById(id).textContent === 'Opgeslagen'",
        arg=f"s{statement.pk}-status",
    )


def _answer_everything(page, base, scan, function, value, comment, keyboard=False):
    page.goto(base + reverse("scans:overview", kwargs={"pk": scan.pk}))
    page.get_by_role("link", name="Naar de teamperspectieven").click()
    page.wait_for_load_state()
    assert axe_violations(page) == []
    page.select_option("#function", function)
    page.get_by_role("button", name="Beginnen met mijn eigen antwoorden").click()
    page.wait_for_load_state()
    statements = list(Statement.objects.filter(version=scan.norm_version).order_by("code"))
    for theme in ("T01", "T02", "T03"):
        assert f"/team/mijn-antwoorden/{theme}/" in page.url
        for st in (s for s in statements if s.code.startswith(theme)):
            radio = f"#s{st.pk}-v{value}"
            if keyboard:
                tab_to(page, f"input[name='s{st.pk}-value']:checked, #s{st.pk}-v1")
                for _ in range(int(value) - 1):
                    page.keyboard.press("ArrowDown")
            else:
                page.click(f"label[for='s{st.pk}-v{value}']")
            assert page.locator(radio).is_checked()
            _wait_saved(page, st)
            if st.code == "T01.01":
                page.fill(f"#s{st.pk}-comment", comment)
                page.locator(f"#s{st.pk}-comment").blur()
                _wait_saved(page, st)
        if theme == "T01":
            assert axe_violations(page) == []
        button = page.locator("#next-button")
        with page.expect_navigation():
            if keyboard:
                tab_to(page, "#next-button")
                page.keyboard.press("Enter")
            else:
                button.click()
    assert "Uw antwoorden zijn opgeslagen." in page.locator(".messages").inner_text()
    page.get_by_role("button", name="Ik ben klaar").click()
    page.wait_for_load_state()
    assert "klaar gemeld" in page.locator(".messages").inner_text()


def test_three_members_answer_compare_agree_and_submit(browser, live_server, year):
    world = year.world
    base = live_server.url
    Round.objects.filter(pk=year.round.pk).update(team_perspectives=True)
    scan = year.scan(world.school_a1)
    sam = year.user("school")
    sam.first_name, sam.last_name = "Sam", "Schoolleider"
    sam.save()
    anna = UserFactory(email="anna@example.org", first_name="Anna", last_name="Aarts",
                       role=sam.role, schools=[world.school_a1])  # fmt: skip
    dirk = UserFactory(email="dirk@example.org", first_name="Dirk", last_name="Dam",
                       role=sam.role, schools=[world.school_a1])  # fmt: skip
    pages = {}
    for name, user in (("anna", anna), ("dirk", dirk), ("sam", sam)):
        context = browser.new_context(locale="nl-NL")
        pages[name] = context.new_page()
        pages[name].requested_urls = []
        pages[name].on("request", lambda r, p=pages[name]: p.requested_urls.append(r.url))
        login(pages[name], base, user.email)

    # 1. each on their own
    _answer_everything(pages["anna"], base, scan, "leerkracht", "2", COMMENTS["anna"])
    _answer_everything(pages["dirk"], base, scan, "directie", "4", COMMENTS["dirk"], True)
    _answer_everything(pages["sam"], base, scan, "ib", "3", COMMENTS["sam"])
    assert IndividualAnswer.objects.filter(perspective__scan=scan).count() == 3 * 12
    assert not Answer.objects.filter(scan=scan).exists()

    # 2. who has finished
    page = pages["sam"]
    rows = table_rows(page, "De teamleden en hun eigen antwoorden")
    by_name = {row[0]: row for row in rows}
    assert by_name["Anna Aarts"][1] == "Leerkracht"
    assert by_name["Dirk Dam"][1] == "Directie"
    assert by_name["Sam Schoolleider"][1] == "Intern begeleider"
    assert all(row[3].startswith("ja, op") for row in rows)
    screenshot(page, "j6-1-team")

    # 3. compare and agree
    page.get_by_role("link", name="T01 Dyslexie").click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "Bij 4 van de 4 stellingen verschilt het team van mening." in main
    for comment in COMMENTS.values():
        assert comment in main
    first = Statement.objects.get(version=scan.norm_version, code="T01.01")
    counts = table_rows(page, "Antwoorden van het team bij T01.01")
    # columns: answer, count, bar, then directie, intern begeleider, leerkracht
    assert [row[:2] + row[3:] for row in counts[:4]] == [
        ["Onvoldoende", "0", "0", "0", "0"],
        ["Matig / in ontwikkeling", "1", "0", "0", "1"],
        ["Voldoende", "1", "0", "1", "0"],
        ["Goed", "1", "1", "0", "0"],
    ]
    assert page.locator(f"#s{first.pk}-v3").is_checked()
    assert axe_violations(page) == []
    assert external_requests(page, base) == []
    screenshot(page, "j6-2-compare")
    page.get_by_role("button", name="Opslaan en volgend thema").click()
    page.wait_for_load_state()
    assert "/vergelijken/T02/" in page.url
    for code in ("T02.03", "T02.04"):
        st = Statement.objects.get(version=scan.norm_version, code=code)
        page.click(f"label[for='s{st.pk}-v2']")
        _wait_saved(page, st)
    page.get_by_role("button", name="Opslaan en volgend thema").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Schoolantwoorden opslaan").click()
    page.wait_for_load_state()
    assert (
        "De schoolantwoorden van dit thema zijn opgeslagen."
        in page.locator(".messages").inner_text()
    )
    page.get_by_role("link", name="Controleren en indienen").first.click()
    page.wait_for_load_state()
    assert "Alle stellingen zijn beantwoord." in page.locator("main").inner_text()
    page.check("#submit-confirm")
    with page.expect_navigation():
        page.locator("form[action$='/indienen/'] button").click()
    assert Scan.objects.get(pk=scan.pk).status == Scan.Status.SUBMITTED
    assert Answer.objects.filter(scan=scan).count() == 12

    # 4. the themakaart follows the school answers
    page.goto(base + reverse("results:index"))
    page.locator("main a:text-is('Themakaarten De Eerste')").click()
    page.wait_for_load_state()
    rows = table_rows(page, "Uw thema's in één oogopslag")
    assert [row[:2] for row in rows] == [
        ["T01 Dyslexie", "100,0%"],
        ["T02 Rekenen en dyscalculie", "50,0%"],
        ["T03 Sociaal-emotioneel leren", "100,0%"],
    ]
    screenshot(page, "j6-3-themakaarten")

    # 5. the board: spread without names, and no comment of a member anywhere
    board_page = browser.new_context(locale="nl-NL").new_page()
    login(board_page, base, year.user("board").email)
    board_page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Teamspreiding"
    ).click()
    board_page.get_by_role("link", name=year.round.name).click()
    board_page.wait_for_load_state()
    text = board_page.locator("main").inner_text()
    assert "De Eerste" in text and "Anna" not in text and "Dirk" not in text
    assert axe_violations(board_page) == []
    screenshot(board_page, "j6-4-board-spread")
    from django.test import Client

    client = Client()
    client.force_login(year.user("board"))
    seeds = ["/", reverse("perspectives:team", kwargs={"pk": scan.pk}),
             reverse("perspectives:compare", kwargs={"pk": scan.pk, "step": "T01"})]  # fmt: skip
    texts = _crawl(client, seeds)
    texts.update(_exports(client, year.round))
    assert len(texts) > 10
    assert [u for u, t in texts.items() if any(c in t for c in COMMENTS.values())] == []
    assert TeamPerspective.objects.filter(scan=scan, finished_at__isnull=False).count() == 3
    for p in pages.values():
        p.context.close()
    board_page.context.close()
