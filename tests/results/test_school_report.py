"""The school report (print view and PDF), the rule explained where it is used, the comparison
with the previous round on the overview, and the team's comments on the themakaart."""

import re

import pytest
from django.urls import reverse

from selfscan.accounts.models import Role
from selfscan.norms.models import Statement, Theme
from selfscan.scans.models import Answer
from tests.factories import SchoolFactory, UserFactory, make_norm_version
from tests.journeys.pdftext import pdf_text
from tests.results.factories import make_round, make_scan

pytestmark = pytest.mark.django_db

PERCENT = re.compile(r"\d+,\d%")
RULE = "Voldoet aan de norm</strong>: ten minste 85% van de beantwoorde stellingen"


def _flat(text: str) -> str:
    """Text without any whitespace: PDF lines break where the layout wraps them."""
    return re.sub(r"\s+", "", text)


def _report(client, round_, school, pdf=False):
    name = "results:school_report_pdf" if pdf else "results:school_report"
    return client.get(reverse(name, args=[round_.pk, school.pk]))


def _page_figures(html: str) -> tuple[str, list[str]]:
    """The score of a themakaart page and the percentages of its comparison table."""
    score = re.search(r'<p class="score"><strong>([^<]+)</strong>', html)
    assert score is not None
    table = html.split('<caption id="tabel-vergelijking">', 1)[1].split("</table>", 1)[0]
    return score.group(1), PERCENT.findall(table)


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(role=Role.STAFF))
    return client


# The PDF itself is made by an export job: tests/exports/test_school_report_job.py.


def test_report_shows_every_theme_with_a_chart(staff_client, ten_schools):
    html = _report(staff_client, ten_schools.round, ten_schools.schools["S1"]).content.decode()
    for theme in ten_schools.version.themes.all():
        assert f">{theme.code} {theme.title}</h2>" in html
    # one overview chart and one per theme, as vector images with a text alternative
    charts = re.findall(
        r'<img class="vector-chart" src="data:image/svg\+xml;base64,[^"]+" alt="', html
    )
    assert len(charts) == 1 + 3
    assert RULE in html
    assert "Met 7 stellingen: ten minste 6 van de 7 voldoende of hoger" in html  # T02
    assert "Met 6 stellingen: alle 6 voldoende of hoger." in html  # T01 without its streefniveau


def test_report_of_a_scan_not_yet_submitted_says_so(staff_client, ten_schools):
    html = _report(staff_client, ten_schools.round, ten_schools.schools["S10"]).content.decode()
    assert "nog niet ingediend" in html
    assert "vector-chart" not in html
    assert "PDF maken" not in html  # nothing to put in a PDF yet


def test_report_in_english(staff_client, ten_schools):
    staff_client.cookies.load({"django_language": "en"})
    html = _report(staff_client, ten_schools.round, ten_schools.schools["S1"]).content.decode()
    assert "School report School S1" in html
    assert "71.4%" in html
    assert "With 7 statements: at least 6 of the 7 sufficient or better" in html
    assert "<strong>Meets the norm</strong>" in html


def test_school_user_reaches_the_report_from_the_overview(client, ten_schools):
    school = ten_schools.schools["S1"]
    client.force_login(UserFactory(role=Role.SCHOOL, schools=[school]))
    overview = client.get(
        reverse("results:school_overview", args=[ten_schools.round.pk, school.pk])
    ).content.decode()
    assert reverse("results:school_report_pdf", args=[ten_schools.round.pk, school.pk]) in overview
    assert reverse("results:school_report", args=[ten_schools.round.pk, school.pk]) in overview
    assert _report(client, ten_schools.round, school).status_code == 200
    other = ten_schools.schools["S2"]
    assert _report(client, ten_schools.round, other).status_code == 404
    assert _report(client, ten_schools.round, other, pdf=True).status_code == 404


# --- the rule, where it is used -------------------------------------------------------------


def test_the_rule_is_defined_on_every_page_that_shows_it(staff_client, ten_schools):
    round_, school = ten_schools.round, ten_schools.schools["S1"]
    theme = ten_schools.version.themes.get(code="T02")
    urls = [
        reverse("results:school_overview", args=[round_.pk, school.pk]),
        reverse("results:themakaart", args=[round_.pk, school.pk, theme.pk]),
        reverse("results:board_dashboard", args=[round_.pk, ten_schools.besturen["B1"].pk]),
        reverse("results:city_dashboard", args=[round_.pk]),
        reverse("rounds:detail", args=[round_.pk]),
    ]
    for url in urls:
        assert RULE in staff_client.get(url).content.decode(), url
    pdf = staff_client.get(reverse("results:themakaart_pdf", args=[round_.pk, school.pk, theme.pk]))
    text = pdf_text(pdf.content)
    assert "Voldoet aan de norm" in text
    assert _flat("Met 7 stellingen: ten minste 6 van de 7 voldoende of hoger") in _flat(text)


def test_themakaart_says_what_the_answered_statements_need_when_some_are_nvt(
    staff_client, ten_schools
):
    # S2, T03: 5 sufficient, 1 insufficient, 1 n.v.t. → 6 answered
    theme = ten_schools.version.themes.get(code="T03")
    html = staff_client.get(
        reverse(
            "results:themakaart",
            args=[ten_schools.round.pk, ten_schools.schools["S2"].pk, theme.pk],
        )
    ).content.decode()
    assert "Met 7 stellingen: ten minste 6 van de 7" in html
    assert "Uw team beantwoordde 6 stellingen met een score (de andere met n.v.t.):" in html
    assert "Met 6 stellingen: alle 6 voldoende of hoger." in html


def test_low_score_question_shows_only_below_the_threshold(staff_client, ten_schools):
    Theme.objects.filter(version=ten_schools.version).update(
        guidance="Scoort uw school hier laag? Begin bij het profiel."
    )
    round_, school = ten_schools.round, ten_schools.schools["S1"]
    pages = {
        code: staff_client.get(
            reverse(
                "results:themakaart",
                args=[round_.pk, school.pk, ten_schools.version.themes.get(code=code).pk],
            )
        ).content.decode()
        for code in ("T01", "T02")
    }
    assert "Scoort uw school hier laag?" not in pages["T01"]  # 100%
    assert "Begin bij het profiel." in pages["T01"]
    assert "Scoort uw school hier laag?" in pages["T02"]  # 71.4%
    report = _report(staff_client, round_, school).content.decode()
    assert "Scoort uw school hier laag?" not in report


def test_themakaart_shows_the_teams_comments(staff_client, ten_schools):
    scan = ten_schools.scans["S1"]
    Answer.objects.filter(scan=scan, statement__code="T02.01").update(comment="Staat in het SOP.")
    theme = ten_schools.version.themes.get(code="T02")
    html = staff_client.get(
        reverse("results:themakaart", args=[ten_schools.round.pk, scan.school_id, theme.pk])
    ).content.decode()
    section = html.split('id="toelichting"', 1)[1].split("</section>", 1)[0]
    assert "T02.01" in section and "Staat in het SOP." in section
    other = ten_schools.version.themes.get(code="T01")
    html = staff_client.get(
        reverse("results:themakaart", args=[ten_schools.round.pk, scan.school_id, other.pk])
    ).content.decode()
    assert "geen toelichting geschreven" in html


# --- the previous round ---------------------------------------------------------------------


@pytest.fixture
def two_rounds(db):
    v1 = make_norm_version(key="rap", label="v1", themes=2, statements_per_theme=4, nvt_every=0)
    v2 = make_norm_version(
        key="rap", label="v2", themes=2, statements_per_theme=4, nvt_every=0, previous=v1
    )
    old = {s.code: s for s in v1.statements.all()}
    new = {s.code: s for s in v2.statements.all()}
    for code in ("T01.01", "T01.02", "T01.03", "T01.04", "T02.01", "T02.02"):
        Statement.objects.filter(pk=new[code].pk).update(comparable=True, relation="gelijk")
        new[code].derived_from.set([old[code]])
    for code in ("T02.03", "T02.04"):
        Statement.objects.filter(pk=new[code].pk).update(
            relation="nieuw", concept_key=f"rap-nieuw-{code}"
        )
    first = make_round(v1, name="0-meting")
    second = make_round(v2, name="Meting 2", previous=first)
    school = SchoolFactory()
    then = {"T01.01": "1", "T01.02": "2", "T01.03": "3", "T01.04": "3"}
    then |= {"T02.01": "3", "T02.02": "3", "T02.03": "1", "T02.04": "1"}
    make_scan(first, school, then)
    now = dict.fromkeys(new, "3")
    make_scan(second, school, now)
    return {"first": first, "second": second, "school": school, "v2": v2}


def test_overview_and_report_compare_with_the_previous_round(
    client, two_rounds, django_capture_on_commit_callbacks
):
    d = two_rounds
    client.force_login(UserFactory(role=Role.SCHOOL, schools=[d["school"]]))
    html = client.get(
        reverse("results:school_overview", args=[d["second"].pk, d["school"].pk])
    ).content.decode()
    assert "0-meting (vergelijkbare stellingen)" in html
    # T01: 2 of 4 then, 4 of 4 now: +50 points; T02: its two comparable statements 2 of 2 → ±0
    assert "50,0%" in html and "+50,0 procentpunt" in html
    assert "±0,0 procentpunt" in html
    assert "telt alleen de stellingen" in html
    with django_capture_on_commit_callbacks(execute=True):  # the job runs eagerly after commit
        started = client.post(
            reverse("results:school_report_pdf", args=[d["second"].pk, d["school"].pk])
        )
    job = started["Location"].rstrip("/").rsplit("/", 1)[1]
    text = pdf_text(client.get(reverse("exports:job_download", args=[job])).content)
    assert "+50,0 procentpunt" in text and "±0,0 procentpunt" in text


def test_overview_without_a_previous_round_has_no_comparison_columns(client, ten_schools):
    client.force_login(UserFactory(role=Role.STAFF))
    html = client.get(
        reverse(
            "results:school_overview", args=[ten_schools.round.pk, ten_schools.schools["S1"].pk]
        )
    ).content.decode()
    assert "vergelijkbare stellingen)" not in html


def test_school_report_selector_reads_the_change_once(ten_schools, django_assert_max_num_queries):
    from selfscan.results import selectors

    staff = UserFactory(role=Role.STAFF)
    scan = ten_schools.scans["S1"]
    selectors.school_report(staff, scan)  # stores the aggregates
    with django_assert_max_num_queries(20):
        context = selectors.school_report(staff, scan)
    assert [card["theme"].code for card in context["cards"]] == ["T01", "T02", "T03"]


def test_themakaart_pdf_has_its_comparison_chart(staff_client, ten_schools):
    theme = ten_schools.version.themes.get(code="T02")
    response = staff_client.get(
        reverse(
            "results:themakaart_pdf",
            args=[ten_schools.round.pk, ten_schools.schools["S1"].pk, theme.pk],
        )
    )
    assert response.context["chart"].startswith(
        '<img class="vector-chart" src="data:image/svg+xml;base64,'
    )
    assert b"/Subtype /Image" not in response.content  # drawn as vectors, not a bitmap
