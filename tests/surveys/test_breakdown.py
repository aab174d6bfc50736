"""Breakdowns by group with the small-group rule (decision 0202): three groups, one under the
minimum; counts and means worked out by hand below."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from selfscan.surveys import breakdown, selectors, services
from tests.surveys.factories import add_question, make_survey

pytestmark = pytest.mark.django_db

# rol -> (droom grades, gehoord answers); directie has nobody.
GROUPS = {
    "ouder": ([5, 4, 4, 3, 5, 5], [True, True, True, True, False, None]),  # 6
    "leerkracht": ([2, 3, 3, 4, 3], [True, True, False, False, False]),  # 5
    "IB": ([1, 2], [False, False]),  # 2: under the minimum of 5
}
# By hand: IB (2) is under 5, so it goes to "overig"; "overig" (2) is still under 5, so the
# smallest other group, leerkracht (5), joins it: overig = 7 respondents.
# ouder: droom mean 26/6 = 4,33; gehoord 4× ja, 1× nee, 1× blanco.
# overig: droom mean (15 + 3)/7 = 2,57; gehoord 2× ja, 5× nee.
# IB alone would be droom mean 1,50, gehoord 0× ja, 2× nee: never shown.


@pytest.fixture
def survey():
    survey = make_survey("Ouderavond", min_group_size=5)
    add_question(
        survey,
        "rol",
        "single_choice",
        text="Ik ben",
        options=["ouder", "leerkracht", "IB", "directie"],
    )
    add_question(survey, "droom", "grade", text="Cijfer voor de droom", scale_min=1, scale_max=5)
    add_question(survey, "gehoord", "yes_no", text="Voelt u zich gehoord?")
    by_key = {q.key: q.pk for q in survey.questions.all()}
    n = 0
    for role, (grades, heard) in GROUPS.items():
        for grade, yes in zip(grades, heard, strict=True):
            n += 1
            services.submit_response(
                survey,
                submission_token=f"t{n:031d}",
                values={by_key["rol"]: role, by_key["droom"]: grade, by_key["gehoord"]: yes},
            )
    return survey


@pytest.fixture
def staff_client(client, world):
    client.force_login(world.user("staff"))
    return client


def test_apply_minimum_merges_small_groups_until_overig_is_big_enough():
    assert breakdown.apply_minimum([("a", 6), ("b", 5), ("c", 2), ("d", 0)], 5) == (
        ["a"],
        ["c", "b"],
    )
    assert breakdown.apply_minimum([("a", 6), ("b", 3), ("c", 2)], 5) == (["a"], ["c", "b"])
    assert breakdown.apply_minimum([("a", 6), ("b", 5)], 5) == (["a", "b"], [])
    assert breakdown.apply_minimum([("a", 2), ("b", 2)], 5) == ([], ["a", "b"])


def test_counts_and_means_per_group_match_the_hand_computed_values(survey):
    result = selectors.survey_breakdown(survey, "rol")
    assert [(g.label, g.respondents) for g in result.groups] == [("ouder", 6), ("overig", 7)]
    assert result.merged == ("IB", "leerkracht")
    ouder, overig = result.groups
    droom = {g.label: g.summary.questions[0].stats for g in result.groups}
    assert droom["ouder"] is not None and droom["overig"] is not None
    assert droom["ouder"].mean == pytest.approx(26 / 6)
    assert droom["overig"].mean == pytest.approx(18 / 7)
    assert [(c.label, c.count) for c in ouder.summary.questions[1].counts] == [
        ("ja", 4),
        ("nee", 1),
        ("blanco", 1),
    ]
    assert [(c.label, c.count) for c in overig.summary.questions[1].counts] == [
        ("ja", 2),
        ("nee", 5),
        ("blanco", 0),
    ]
    # The grouping question itself is not repeated per group.
    assert [q.spec.key for q in ouder.summary.questions] == ["droom", "gehoord"]


def test_the_page_never_shows_the_small_group_alone(survey, staff_client):
    html = staff_client.get(
        reverse("surveys:breakdown", args=[survey.pk]), {"vraag": "rol"}
    ).content.decode()
    assert '<th scope="row">ouder</th><td class="num">6</td>' in html
    assert '<th scope="row">overig</th><td class="num">7</td>' in html
    assert 'ouder <span class="muted">(n=6)</span>' in html
    assert 'overig <span class="muted">(n=7)</span>' in html
    assert "(n=2)" not in html and "(n=5)" not in html
    assert "4,33" in html and "2,57" in html
    assert "1,50" not in html  # IB's own mean
    assert "IB, leerkracht zijn samengevoegd tot &#x27;overig&#x27;" in html


def test_the_exports_never_show_the_small_group_alone(survey, staff_client):
    url = reverse("surveys:export_breakdown", args=[survey.pk, "csv"])
    raw = staff_client.get(url, {"vraag": "rol"}).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(raw), delimiter=";"))
    assert rows[0][:2] == ["groep", "onderdeel"]
    groups = {row[0] for row in rows[1:]}
    assert groups == {"", "ouder", "overig"}
    assert ["ouder", "", "", "reacties", "aantal reacties", "6", "", ""] in rows
    assert ["overig", "", "", "reacties", "aantal reacties", "7", "", ""] in rows
    assert ["ouder", "", "Cijfer voor de droom", "statistiek", "gemiddelde", "", "", "4,33"] in rows
    assert [
        "overig",
        "",
        "Cijfer voor de droom",
        "statistiek",
        "gemiddelde",
        "",
        "",
        "2,57",
    ] in rows
    assert ["overig", "", "Voelt u zich gehoord?", "antwoord", "nee", "5", "71,4", ""] in rows
    assert "1,50" not in raw
    assert any("samengevoegd tot 'overig'" in cell for row in rows for cell in row)
    xlsx = staff_client.get(
        reverse("surveys:export_breakdown", args=[survey.pk, "xlsx"]), {"vraag": "rol"}
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert {row[0] for row in values[1:]} == {None, "ouder", "overig"}


def test_a_breakdown_by_yes_no_and_a_survey_without_closed_questions(staff_client):
    survey = make_survey()
    add_question(survey, "open", "short_text")
    html = staff_client.get(reverse("surveys:breakdown", args=[survey.pk])).content.decode()
    assert "geen ja/nee- of keuzevraag" in html
    assert (
        staff_client.get(reverse("surveys:export_breakdown", args=[survey.pk, "csv"])).status_code
        == 404
    )


def test_values_of_a_number_are_in_order_across_groups():
    from selfscan.surveys.exports import _ordered

    keys = [("statistiek", "gemiddelde"), ("waarde", "16"), ("antwoord", "blanco")]
    keys += [("waarde", "4"), ("waarde", "4,5")]
    assert _ordered(keys) == [
        ("statistiek", "gemiddelde"),
        ("waarde", "4"),
        ("waarde", "4,5"),
        ("waarde", "16"),
        ("antwoord", "blanco"),
    ]
