"""The annual report: XLSX (openpyxl) and PDF (text) hold the dashboard's figures, the earlier
rounds beside this one, small-group protection and the threshold sensitivity table."""

import io
import shutil
import subprocess
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from selfscan.accounts.models import Role
from selfscan.organisations.models import Sector
from selfscan.results import annual, selectors
from selfscan.results.templatetags.results_tags import pct
from selfscan.rounds import demo
from selfscan.rounds.models import Round
from tests.factories import SchoolFactory, UserFactory, make_norm_version
from tests.journeys.pdftext import pdf_text

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> str:
    """pdftotext when the machine has it (poppler), else the tests' own reader (decision 0120)."""
    if shutil.which("pdftotext"):
        out = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
        )
        return out.stdout.decode()
    return pdf_text(pdf)


def _publish(round_: Round) -> Round:
    round_.status = Round.Status.PUBLISHED
    round_.save()
    return round_


def _download(client, name: str, round_: Round) -> bytes:
    client.force_login(UserFactory(role=Role.STAFF))
    response = client.get(reverse(f"results:{name}", args=[round_.pk]))
    assert response.status_code == 200
    return response.content


def _sheet(content: bytes, title: str) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(content))
    return list(workbook[title].iter_rows(values_only=True))


def test_xlsx_holds_the_dashboard_figures_in_excel_friendly_sheets(client, ten_schools):
    round_ = _publish(ten_schools.round)
    content = _download(client, "annual_report_xlsx", round_)
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["Sectoren per meting"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:")
    assert sheet.column_dimensions["A"].width >= len(round_.name)
    rows = list(sheet.iter_rows(values_only=True))
    dashboard = selectors.city_dashboard(round_)
    po = dashboard["sectors"][0]
    line = next(r for r in rows[1:] if r[1] == po.key)
    assert line[2:] == (
        po.invited,
        po.submitted,
        po.response_rate,
        po.meeting,
        po.share_meeting,
        po.pooled_share,
        po.mean_share,
    )
    assert (line[5], line[6]) == (6, 6 / 9) and line[7] == 139 / 172
    assert sheet.cell(row=rows.index(line) + 1, column=7).number_format == "0.0%"
    themes = _sheet(content, "Thema's")
    assert [r[0] for r in themes[1:]] == ["T01", "T02", "T03"]
    besturen = _sheet(content, "Besturen")
    assert {r[0] for r in besturen[1:]} == {"Stichting Een", "Stichting Twee"}
    thresholds = _sheet(content, "Drempels")
    assert len(thresholds) == 1 + 51
    at = {r[0]: r for r in thresholds[1:]}
    assert at[80][-1] == 7 / 9 and at[85][-1] == 6 / 9 and at[90][-1] == 5 / 9


def test_small_groups_are_left_out_of_the_report(client, ten_schools):
    round_ = _publish(ten_schools.round)
    round_.min_group_size = 5
    round_.save()
    content = _download(client, "annual_report_xlsx", round_)
    besturen = {r[0]: r for r in _sheet(content, "Besturen")[1:]}
    assert besturen["Stichting Een"][4] == 4  # five schools with results: shown
    assert besturen["Stichting Twee"][1:8] == (None,) * 7  # four: not shown
    assert "niet getoond" in besturen["Stichting Twee"][8]
    text = text_of(_download(client, "annual_report_pdf", round_))
    assert "Stichting Twee" in text and "niet getoond: te weinig scholen" in text


def test_pdf_holds_the_dashboard_figures_and_the_sensitivity_table(client, ten_schools):
    round_ = _publish(ten_schools.round)
    content = _download(client, "annual_report_pdf", round_)
    assert content.startswith(b"%PDF")
    text = text_of(content)
    assert "Jaarrapportage" in text
    for figure in ("90,0%", "66,7%", "80,8%", "77,8%", "55,6%"):
        assert figure in text
    assert "Stad 1" in text and "Buiten 1" in text and "Stichting Een" in text
    assert "6 van de 9 scholen met resultaten voldoet aan de norm" in text


def test_pdf_charts_are_svg_with_their_titles(ten_schools):
    import base64
    import re

    report = annual.annual_report(_publish(ten_schools.round))
    charts = annual.pdf_charts(report)
    images = [
        charts["sector_chart"],
        charts["theme_chart"],
        *[chart for _label, chart in charts["distribution_charts"]],
    ]
    svgs = [
        base64.b64decode(re.search(r"base64,([^\"]+)", str(img)).group(1)).decode()
        for img in images
    ]
    assert all(svg.startswith("<svg") for svg in svgs)
    assert "Aandeel scholen dat voldoet, per sector" in svgs[0]
    assert "66,7%" in svgs[0]  # PO: 6 of 9
    assert "Verdeling van de scholen, PO" in svgs[2]


def test_only_a_published_round_has_an_annual_report(client, ten_schools):
    client.force_login(UserFactory(role=Role.STAFF))
    for name in ("annual_report_pdf", "annual_report_xlsx"):
        response = client.get(reverse(f"results:{name}", args=[ten_schools.round.pk]))
        assert response.status_code == 404


def test_summary_compares_with_the_earlier_round(ten_schools):
    now = selectors.city_dashboard(ten_schools.round)["sectors"][0]
    history = annual.History("PO", "PO", [None, now])
    lines = annual.summary_lines("Meting 2", None, [history], 85)
    assert lines[0].startswith("PO: 6 van de 9 scholen") and "eerste meting" in lines[-1]
    history = annual.History("PO", "PO", [now, now])
    lines = annual.summary_lines("Meting 2", "Meting 1", [history], 85)
    assert "Ten opzichte van Meting 1" in lines[0] and "±0,0 procentpunt" in lines[0]


# --- the demo's 0-meting ---------------------------------------------------------------------


@pytest.fixture
def demo_rounds(db):
    for _ in range(50):
        SchoolFactory(sector=Sector.PO)
    for _ in range(14):
        SchoolFactory(sector=Sector.VO, wijk=None)
    v2024 = make_norm_version(
        key="anb",
        label="2024",
        themes=12,
        statements_per_theme=5,
        sectors=("PO", "VO"),
        nvt_every=6,
    )
    make_norm_version(
        key="anb", label="2025", themes=14, statements_per_theme=5, nvt_every=6, previous=v2024
    )
    demo.load(lambda line: None)
    return Round.objects.get(name=demo.ZERO_NAME)


def _one_decimal(percent: float) -> str:
    rounded = Decimal(repr(percent)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{rounded}".replace(".", ",") + "%"


def test_demo_zero_measurement_report_holds_its_table(client, demo_rounds):
    zero = demo_rounds
    assert zero.status == Round.Status.PUBLISHED
    expected = demo.indicators(zero)  # computed apart from the aggregation
    dashboard = {row.key: row for row in selectors.city_dashboard(zero)["sectors"]}
    rows = _sheet(_download(client, "annual_report_xlsx", zero), "Sectoren per meting")
    text = text_of(_download(client, "annual_report_pdf", zero))
    for sector, figures in expected.items():
        line = next(r for r in rows[1:] if r[1] == sector)
        row = dashboard[sector]
        assert line[5] == row.meeting and line[6] == row.share_meeting
        assert line[7] == row.pooled_share
        assert line[6] * 100 == pytest.approx(figures["meets_pct"])
        assert line[7] * 100 == pytest.approx(figures["sufficient_pct"])
        assert _one_decimal(figures["meets_pct"]) in text
        assert _one_decimal(figures["sufficient_pct"]) in text
        assert pct(row.share_meeting) == _one_decimal(figures["meets_pct"])


def test_city_dashboard_downloads_its_tables_for_a_closed_round(client, ten_schools):
    assert ten_schools.round.status == Round.Status.CLOSED
    content = _download(client, "city_dashboard_xlsx", ten_schools.round)
    rows = _sheet(content, "Sectoren per meting")
    po = next(r for r in rows[1:] if r[1] == "PO")
    assert po[5:8] == (6, 6 / 9, 139 / 172)
    wijken = {r[0]: r for r in _sheet(content, "Wijken")[1:]}
    assert wijken["Stad 1"][1:3] == (3, 3)
