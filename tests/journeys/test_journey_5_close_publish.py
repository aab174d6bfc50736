"""Journey 5: staff close and publish the round, read the city's indicators and take the exports.

Walked with the mouse, in Debian's chromium. The exports are opened as a person's spreadsheet
program would: the CSV with semicolons and decimal commas, the XLSX with openpyxl.
"""

import csv
import io

import pytest
from openpyxl import load_workbook

from selfscan.rounds.models import Round
from tests.browser.helpers import axe_violations, external_requests
from tests.journeys.steps import (
    close_round,
    download,
    login,
    nav,
    publish_round,
    round_status,
    screenshot,
    table_rows,
)
from tests.journeys.world import FORMULA_NAME, answer, answer_and_submit, values_by_theme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECTOR_CAPTION = "Indicatoren per sector, zoals in het jaarverslag"


@pytest.fixture
def year_at_closing(year):
    """Three of the four invited schools submitted; the school with the formula-looking name
    answered half and did not submit before the round closed."""
    world = year.world
    team, other = year.user("school"), year.user("other_school")
    # De Eerste 12/12, De Tweede 9/12, De Derde 11/12 voldoende or higher.
    answer_and_submit(
        year.scan(world.school_a1), values_by_theme({"T01": 4, "T02": 4, "T03": 4}), team
    )
    answer_and_submit(
        year.scan(world.school_a2), values_by_theme({"T01": 4, "T02": 2, "T03": 3}), team
    )
    answer_and_submit(
        year.scan(world.school_b1), values_by_theme({"T01": 4, "T02": 4, "T03": 3}), other
    )
    answer(year.scan(year.formula_school), values_by_theme({"T01": 2}), year.formula_team)
    return year


def export(page, *, kind: str, file_format: str) -> tuple[str, bytes]:
    nav(page, "Exporteren")
    page.get_by_label("Meting").select_option(label="Zelfscan 2025-2026")
    page.get_by_label(kind).check()
    page.get_by_label(file_format).check()
    return download(page, lambda: page.get_by_role("button", name="Exporteren").click())


def test_staff_close_publish_read_the_city_and_export(page, live_server, year_at_closing):
    year = year_at_closing
    base = live_server.url
    login(page, base, year.user("staff").email)

    consequences = close_round(page, base, year.round)
    assert "1 school" in consequences  # 3 of 4 submitted: one is locked out
    assert round_status(page) == "Gesloten"
    assert "3 / 4" in page.locator("dl.facts").inner_text()
    screenshot(page, "j5-1-closed")
    publish_round(page, base, year.round)
    assert round_status(page) == "Gepubliceerd"
    assert Round.objects.get(pk=year.round.pk).status == Round.Status.PUBLISHED

    # The city dashboard: the indicator table of the annual report, with real figures
    nav(page, "Resultaten")
    page.get_by_role("link", name="Stadsdashboard").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Stadsdashboard · Zelfscan 2025-2026"
    rows = table_rows(page, SECTOR_CAPTION)
    # invited, submitted, response, meeting (De Eerste and De Derde), share meeting,
    # answers voldoende of hoger (32/36), mean of the schools (1 + 0.75 + 0.9167) / 3
    expected = ["4", "3", "75,0%", "2", "66,7%", "88,9%", "88,9%"]
    assert rows[0] == ["PO", *expected]
    assert rows[-1] == ["Stad (alle sectoren)", *expected]
    themes = table_rows(page, "Indicatoren per thema (hele stad)")
    assert themes[1][:4] == ["T02 Rekenen en dyscalculie", "3", "66,7%", "83,3%"]
    main = page.locator("main").inner_text()
    assert "Er is een fout" not in main and "Server Error" not in main
    assert axe_violations(page) == []
    assert external_requests(page, base) == []
    screenshot(page, "j5-2-city")

    # CSV: semicolons, decimal commas, the formula-looking name kept as text
    name, content = export(
        page, kind="Resultaten per school", file_format="CSV (puntkomma's en decimale komma)"
    )
    assert name.endswith(".csv")
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    by_code = {row["vestigingscode"]: row for row in rows}
    assert sorted(by_code) == ["11AA00", "11AB00", "11AC00", "11AD00"]
    tweede = by_code["11AB00"]
    assert (tweede["school"], tweede["voldoende"], tweede["beantwoord"]) == ("De Tweede", "9", "12")
    assert tweede["aandeel"] == "0,75"
    assert tweede["aandeel_T02"] == "0,5"
    assert float(by_code["11AC00"]["aandeel"].replace(",", ".")) == pytest.approx(11 / 12, abs=1e-4)
    assert by_code["11AD00"]["school"] == "'" + FORMULA_NAME
    assert by_code["11AD00"]["aandeel"] == ""  # not submitted: no figures
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())

    # XLSX: numbers stay numbers, the name is text, no cell is a formula
    name, content = export(
        page, kind="Resultaten per school", file_format="Excel (.xlsx), met gegevenswoordenboek"
    )
    assert name.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Resultaten", "Gegevenswoordenboek"]
    sheet = workbook["Resultaten"]
    header = [cell.value for cell in sheet[1]]
    records = {
        row[0]: dict(zip(header, row, strict=False))
        for row in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert records["11AB00"]["aandeel"] == 0.75
    assert records["11AB00"]["voldoet"] == 0
    assert records["11AA00"]["voldoet"] == 1
    assert records["11AD00"]["school"] == "'" + FORMULA_NAME
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)

    # The answers per statement, as CSV, for the annual report's appendix
    name, content = export(
        page,
        kind="Antwoorden per stelling (één rij per school en stelling)",
        file_format="CSV (puntkomma's en decimale komma)",
    )
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["vestigingscode", "stellingcode", "antwoord"]
    assert ["11AB00", "T02.03", "2"] in [row[:3] for row in rows]
    assert next(row[8] for row in rows if row[0] == "11AD00") == "'" + FORMULA_NAME


def test_city_dashboard_reads_on_a_phone(phone_page, live_server, year_at_closing):
    from selfscan.rounds.services import close_round as close

    year = year_at_closing
    close(round_=year.round, by=year.user("staff"))
    page = phone_page
    login(page, live_server.url, year.user("staff").email)
    page.goto(live_server.url + f"/resultaten/{year.round.pk}/stad/")
    page.wait_for_load_state("networkidle")
    assert table_rows(page, SECTOR_CAPTION)[0][:4] == ["PO", "4", "3", "75,0%"]
    # Wide tables scroll in their own region, which the keyboard can reach; the page does not.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert axe_violations(page) == []
    screenshot(page, "j5-3-city-phone")
