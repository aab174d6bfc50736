"""The progress screen's status filter and school-name search (GET parameters)."""

import re

import pytest
from django.urls import reverse

from selfscan.rounds.selectors import progress
from selfscan.scans.models import Scan
from tests.factories import SchoolFactory
from tests.scans.factories import make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(world, version):
    """De Eerste not started, De Tweede bezig, De Derde ingediend."""
    round_ = make_round(
        version=version, schools=[world.school_a1, world.school_a2, world.school_b1]
    )
    Scan.objects.filter(round=round_, school=world.school_a2).update(status=Scan.Status.IN_PROGRESS)
    Scan.objects.filter(round=round_, school=world.school_b1).update(status=Scan.Status.SUBMITTED)
    return round_


def _schools(html: str) -> list[str]:
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    return re.findall(r"<tr><td(?: class=\"no-login\")?>([^<]+)", body)


def _get(client, world, round_, role="staff", **params):
    client.force_login(world.user(role))
    return client.get(reverse("rounds:progress", kwargs={"pk": round_.pk}), params)


@pytest.mark.parametrize(
    ("status", "schools"),
    [
        ("niet_gestart", ["De Eerste"]),
        ("bezig", ["De Tweede"]),
        ("ingediend", ["De Derde"]),
        ("", ["De Derde", "De Eerste", "De Tweede"]),
    ],
)
def test_status_filter_shows_only_that_status(client, world, round_, status, schools):
    response = _get(client, world, round_, status=status)
    assert _schools(response.content.decode()) == schools


def test_status_options_show_counts_of_every_school_under_the_other_filters(client, world, round_):
    html = _get(client, world, round_, status="bezig").content.decode()
    assert '<option value="niet_gestart">Niet gestart (1)</option>' in html
    assert '<option value="bezig" selected>Bezig (1)</option>' in html
    assert '<option value="ingediend">Ingediend (1)</option>' in html
    # The response rate and counts are those of all three schools, not of the filtered row.
    assert "Respons: 33% (1 van 3 scholen hebben ingediend)" in html
    assert "1 van 3 scholen getoond." in html
    narrowed = _get(client, world, round_, bestuur=world.bestuur_a.pk).content.decode()
    assert '<option value="ingediend">Ingediend (0)</option>' in narrowed


def test_search_on_school_name_ignores_case_and_combines_with_status(client, world, round_):
    assert _schools(_get(client, world, round_, q="tweede").content.decode()) == ["De Tweede"]
    assert _schools(_get(client, world, round_, q="de").content.decode()) == [
        "De Derde",
        "De Eerste",
        "De Tweede",
    ]
    html = _get(client, world, round_, q="de", status="ingediend").content.decode()
    assert _schools(html) == ["De Derde"]
    assert "1 van 3 scholen getoond." in html
    assert "Geen scholen gevonden." in _get(client, world, round_, q="onbekend").content.decode()


@pytest.mark.parametrize("status", ["heropend", "<script>", "1"])
def test_an_unknown_status_is_ignored_with_a_dutch_message(client, world, round_, status):
    response = _get(client, world, round_, status=status)
    assert response.status_code == 200
    html = response.content.decode()
    assert _schools(html) == ["De Derde", "De Eerste", "De Tweede"]
    assert "is geen beschikbare keuze" in html
    assert "<script>" not in html.split("<main", 1)[-1].split("</main>")[0]


def test_a_too_long_search_is_ignored(client, world, round_):
    response = _get(client, world, round_, q="x" * 500)
    assert response.status_code == 200
    assert _schools(response.content.decode()) == ["De Derde", "De Eerste", "De Tweede"]


def test_a_repeated_status_uses_one_value(client, world, round_):
    client.force_login(world.user("staff"))
    response = client.get(
        reverse("rounds:progress", kwargs={"pk": round_.pk}) + "?status=bezig&status=ingediend"
    )
    assert response.status_code == 200
    assert _schools(response.content.decode()) == ["De Derde"]  # the last value counts


def test_a_bad_status_keeps_the_other_filters(client, world, round_):
    response = _get(client, world, round_, status="heropend", bestuur=world.bestuur_b.pk)
    assert _schools(response.content.decode()) == ["De Derde"]


def test_board_filters_only_within_its_own_schools(client, world, round_):
    html = _get(client, world, round_, role="board", status="ingediend").content.decode()
    assert _schools(html) == []
    assert '<option value="ingediend" selected>Ingediend (0)</option>' in html
    assert _schools(_get(client, world, round_, role="board", q="derde").content.decode()) == []


def test_filtered_page_keeps_its_fixed_number_of_queries(
    client, world, version, django_assert_max_num_queries
):
    schools = [world.school_a1, world.school_a2, world.school_b1]
    schools += [SchoolFactory(bestuur=world.bestuur_a, name=f"Basisschool {i}") for i in range(30)]
    round_ = make_round(version=version, schools=schools)
    Scan.objects.filter(round=round_, school__name__endswith="7").update(
        status=Scan.Status.SUBMITTED
    )
    client.force_login(world.user("staff"))
    url = reverse("rounds:progress", kwargs={"pk": round_.pk})
    with django_assert_max_num_queries(12):
        response = client.get(url, {"status": "ingediend", "q": "basisschool"})
    assert _schools(response.content.decode()) == [
        "Basisschool 17",
        "Basisschool 27",
        "Basisschool 7",
    ]


def test_progress_selector_applies_status_after_counting(world, round_, django_assert_num_queries):
    with django_assert_num_queries(2):
        result = progress(world.user("staff"), round_, {"status": "bezig"})
    assert [row.scan.school.name for row in result.rows] == ["De Tweede"]
    assert result.status_counts == {"niet_gestart": 1, "bezig": 1, "ingediend": 1}
    assert result.invited == 3
