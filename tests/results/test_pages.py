"""Results pages: what they show, small-group protection, and a fixed number of queries."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from selfscan.accounts.models import Role
from selfscan.organisations.models import Sector
from selfscan.scans.models import Scan
from tests.factories import BestuurFactory, SchoolFactory, UserFactory, WijkFactory
from tests.results.conftest import SIZES, make_fixture_version
from tests.results.factories import add_reflection, answers_for, make_round, make_scan
from tests.results.world import world_round, world_theme

pytestmark = pytest.mark.django_db


def test_themakaart_shows_score_weak_statements_guidance_and_reflection(client, ten_schools):
    staff = UserFactory(role=Role.STAFF)
    client.force_login(staff)
    scan = ten_schools.scans["S1"]
    add_reflection(scan, "T02", "We bespreken dit in het team.", "Scholing in maart.")
    theme = ten_schools.version.themes.get(code="T02")
    url = reverse("results:themakaart", args=[ten_schools.round.pk, scan.school_id, theme.pk])
    html = client.get(url).content.decode()
    assert "71,4%" in html  # 5 of 7
    assert "5 van de 7" in html
    assert "onder de drempel" in html
    assert (
        html.count('class="badge badge-warn">Matig')
        + html.count('class="badge badge-warn">Onvoldoende')
        >= 2
    )
    assert "Tip" in html  # the theme's guidance
    assert "We bespreken dit in het team." in html and "Scholing in maart." in html
    assert "vendor/plotly/plotly.min.js" in html
    # the school's own position in the distribution table: 5/7 = 71.4% falls in 70–75%
    assert '70–75%</th><td class="num">' in html
    assert html.count("uw school valt in deze groep") == 3  # wijk, bestuur and city tables


def test_exactly_85_percent_reads_as_meeting_on_the_overview(client, ten_schools):
    client.force_login(UserFactory(role=Role.SCHOOL, schools=[ten_schools.schools["S1"]]))
    url = reverse(
        "results:school_overview", args=[ten_schools.round.pk, ten_schools.schools["S1"].pk]
    )
    html = client.get(url).content.decode()
    assert "85,0%" in html
    assert "✓ voldoet" in html


def test_theme_with_only_nvt_shows_nvt_on_the_overview(client, ten_schools):
    client.force_login(UserFactory(role=Role.SCHOOL, schools=[ten_schools.schools["S3"]]))
    theme = ten_schools.version.themes.get(code="T03")
    url = reverse(
        "results:themakaart", args=[ten_schools.round.pk, ten_schools.schools["S3"].pk, theme.pk]
    )
    html = client.get(url).content.decode()
    assert "alle stellingen van dit thema zijn met n.v.t. beantwoord" in html
    assert "0,0%" not in html.split("Vergelijking")[0]


def test_english_uses_a_decimal_point(client, ten_schools):
    client.force_login(UserFactory(role=Role.STAFF))
    client.cookies.load({"django_language": "en"})
    url = reverse(
        "results:school_overview", args=[ten_schools.round.pk, ten_schools.schools["S1"].pk]
    )
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "85.0%" in html


def test_wijk_of_two_schools_is_suppressed_for_a_school_user(client, world):
    round_ = world_round(world)  # wijk_b holds school_a2 and school_b1: two schools
    theme = world_theme(world)
    user = UserFactory(role=Role.SCHOOL, schools=[world.school_a2])
    client.force_login(user)
    url = reverse("results:themakaart", args=[round_.pk, world.school_a2.pk, theme.pk])
    html = client.get(url).content.decode()
    assert "Niet getoond: deze groep telt minder dan 3 scholen" in html
    assert "verdeling-wijk" not in html  # no distribution chart for the wijk
    # Staff see every school, so the same wijk is shown to them.
    client.force_login(world.user("staff"))
    html = client.get(url).content.decode()
    assert "Niet getoond" not in html
    assert "verdeling-wijk" in html


def test_board_dashboard_lists_only_the_boards_schools_and_filters(client, ten_schools):
    b1 = ten_schools.besturen["B1"]
    client.force_login(UserFactory(role=Role.BOARD, besturen=[b1]))
    url = reverse("results:board_dashboard", args=[ten_schools.round.pk, b1.pk])
    html = client.get(url).content.decode()
    for name in ("S1", "S2", "S4", "S7", "S9"):
        assert f"School {name}<" in html
    assert "School S3<" not in html
    assert "89,9%" in html  # B1 pooled 89/99
    assert "4 van uw 5 scholen" in html
    below = client.get(url, {"onder_drempel": "1"}).content.decode()
    assert "School S2<" in below and "School S1<" not in below
    by_share = client.get(url, {"sorteer": "aandeel"}).content.decode()
    assert by_share.index("School S2<") < by_share.index("School S4<")


def test_city_dashboard_shows_the_annual_report_table(client, ten_schools):
    client.force_login(UserFactory(role=Role.STAFF))
    url = reverse("results:city_dashboard", args=[ten_schools.round.pk])
    html = client.get(url).content.decode()
    assert "90,0%" in html  # response 9 of 10
    assert "66,7%" in html  # 6 of 9 meet
    assert "80,8%" in html  # 139 / 172
    assert "Stad 1" in html and "Buiten" in html and "Stichting Twee" in html


def test_pdf_is_a_pdf(client, ten_schools):
    client.force_login(UserFactory(role=Role.STAFF))
    theme = ten_schools.version.themes.get(code="T01")
    url = reverse(
        "results:themakaart_pdf",
        args=[ten_schools.round.pk, ten_schools.schools["S1"].pk, theme.pk],
    )
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


# --- a fixed number of queries, whatever the number of schools ------------------------------


def _round_with(n: int) -> dict[str, Any]:
    version = make_fixture_version(label=f"q{n}")
    bestuur = BestuurFactory()
    wijk = WijkFactory()
    round_ = make_round(version, name=f"Ronde {n}")
    previous = make_round(version, name=f"Vorige {n}")
    round_.previous = previous
    round_.save()
    first = None
    for i in range(n):
        school = SchoolFactory(bestuur=bestuur, wijk=wijk, sector=Sector.PO)
        spec = {"T01": (5, 1, 0), "T02": (6, 1, 0), "T03": (7 - i % 3, i % 3, 0)}
        answers = answers_for(spec, SIZES)
        make_scan(previous, school, answers)
        make_scan(round_, school, answers)
        first = first or school
    assert first is not None
    return {"round": round_, "bestuur": bestuur, "school": first, "version": version}


def _count(client, url: str) -> int:
    client.get(url)  # the first visit stores the aggregates
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


PAGES = {
    "themakaart": lambda d: reverse(
        "results:themakaart",
        args=[d["round"].pk, d["school"].pk, d["version"].themes.get(code="T03").pk],
    ),
    "overview": lambda d: reverse("results:school_overview", args=[d["round"].pk, d["school"].pk]),
    "report": lambda d: reverse("results:school_report", args=[d["round"].pk, d["school"].pk]),
    "board": lambda d: reverse("results:board_dashboard", args=[d["round"].pk, d["bestuur"].pk]),
    "city": lambda d: reverse("results:city_dashboard", args=[d["round"].pk]),
}
MAX_QUERIES = 40


@pytest.mark.parametrize("page", list(PAGES))
def test_page_queries_do_not_grow_with_schools(client, django_assert_max_num_queries, page):
    small, large = _round_with(3), _round_with(12)
    for data in (small, large):
        user = UserFactory(role=Role.BOARD, besturen=[data["bestuur"]])
        if page == "city":
            user = UserFactory(role=Role.STAFF)
        client.force_login(user)
        data["queries"] = _count(client, PAGES[page](data))
    assert small["queries"] == large["queries"]
    client.get(PAGES[page](large))
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(PAGES[page](large))


def test_open_round_is_recomputed_after_a_submit(client, ten_schools):
    from selfscan.results.models import AggregateRow
    from selfscan.results.services import ensure_results, invalidate_round_results

    round_ = ten_schools.round
    round_.status = round_.Status.OPEN
    round_.save()
    ensure_results(round_)
    city = AggregateRow.objects.get(round=round_, level="city", theme__isnull=True)
    assert city.submitted == 9
    Scan.objects.filter(pk=ten_schools.scans["S10"].pk).update(status=Scan.Status.SUBMITTED)
    invalidate_round_results(round_.pk)
    assert not AggregateRow.objects.filter(round=round_).exists()
    ensure_results(round_)
    city = AggregateRow.objects.get(round=round_, level="city", theme__isnull=True)
    assert (city.submitted, city.sufficient, city.answered) == (10, 159, 192)


def test_closed_round_is_computed_once(ten_schools, django_assert_num_queries):
    from selfscan.results.services import ensure_results

    ensure_results(ten_schools.round)
    with django_assert_num_queries(1):  # only the stored data version is read
        ensure_results(ten_schools.round)


@pytest.mark.parametrize(
    ("role", "label"),
    [(Role.SCHOOL, "Themakaarten"), (Role.BOARD, "Dashboard"), (Role.STAFF, "Resultaten")],
)
def test_navigation_names_results_by_role(client, role, label):
    client.force_login(UserFactory(role=role))
    nav = client.get(reverse("core:home")).content.decode().split("main-nav")[1].split("</nav>")[0]
    assert f">{label}<" in nav
    assert ">Exporteren<" in nav


def test_round_without_submitted_scans_renders_empty_dashboards(client, world):
    from tests.factories import make_norm_version

    version = make_norm_version(key="leeg", label="v1")
    round_ = make_round(version, name="Lege ronde")
    make_scan(round_, world.school_a1, {}, status=Scan.Status.NOT_STARTED)
    client.force_login(world.user("staff"))
    assert client.get(reverse("results:city_dashboard", args=[round_.pk])).status_code == 200
    url = reverse("results:board_dashboard", args=[round_.pk, world.bestuur_a.pk])
    assert client.get(url).status_code == 200
    html = client.get(
        reverse("results:school_overview", args=[round_.pk, world.school_a1.pk])
    ).content.decode()
    assert "nog niet ingediend" in html


def test_round_without_any_scans_aggregates_to_nothing(db):
    from selfscan.results.aggregation import aggregate_round
    from tests.factories import make_norm_version

    round_ = make_round(make_norm_version(key="niets", label="v1"), name="Niets")
    assert aggregate_round(round_.pk, threshold=85).empty


def test_index_links_each_role_to_its_own_pages(client, world):
    round_ = world_round(world)
    client.force_login(world.user("school"))
    html = client.get(reverse("results:index")).content.decode()
    assert reverse("results:school_overview", args=[round_.pk, world.school_a1.pk]) in html
    assert reverse("results:school_overview", args=[round_.pk, world.school_b1.pk]) not in html
    assert reverse("results:city_dashboard", args=[round_.pk]) not in html
    client.force_login(world.user("board"))
    html = client.get(reverse("results:index")).content.decode()
    assert reverse("results:board_dashboard", args=[round_.pk, world.bestuur_a.pk]) in html
    assert reverse("results:board_dashboard", args=[round_.pk, world.bestuur_b.pk]) not in html
    client.force_login(world.user("staff"))
    html = client.get(reverse("results:index")).content.decode()
    assert reverse("results:city_dashboard", args=[round_.pk]) in html


def test_overview_flags_many_nvt_answers_for_review(client, ten_schools):
    client.force_login(UserFactory(role=Role.STAFF))
    s3 = reverse(
        "results:school_overview", args=[ten_schools.round.pk, ten_schools.schools["S3"].pk]
    )
    s2 = reverse(
        "results:school_overview", args=[ten_schools.round.pk, ten_schools.schools["S2"].pk]
    )
    assert (
        "Meer dan 20% van de stellingen is met n.v.t. beantwoord" in client.get(s3).content.decode()
    )
    assert "Meer dan 20%" not in client.get(s2).content.decode()  # 1 of 20 n.v.t.
