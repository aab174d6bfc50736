"""The annual report's PDF summarises a group table longer than `PDF_GROUP_LIMIT` (the besturen
at national scale, docs/decisions/0231); the XLSX keeps every group, and a city of Almere's
size keeps its full tables in the PDF."""

import pytest

from selfscan.results import annual
from selfscan.results.models import AggregateRow
from tests.results.test_annual import _download, _publish, _sheet, text_of


def _line(label: str, meeting: int, scored: int, suppressed: bool = False) -> annual.GroupLine:
    row = AggregateRow(level="bestuur", key=label, label=label, meeting=meeting, scored=scored)
    return annual.GroupLine(row, suppressed)


def _report(besturen: list[annual.GroupLine]) -> dict:
    return {"wijk_lines": [], "stadsdeel_lines": [], "bestuur_lines": besturen}


def test_almere_sized_tables_stay_whole_and_national_ones_are_summarised():
    almere = [_line(f"Bestuur {i:02d}", i % 4, 4) for i in range(15)]
    sections = annual.pdf_sections(_report(almere))
    assert [s.summary for s in sections] == [None, None, None]
    assert sections[2].lines == almere and sections[2].sentence == ""
    national = [_line(f"Bestuur {i:03d}", i % 9, 8) for i in range(annual.PDF_GROUP_LIMIT + 1)]
    summary = annual.pdf_sections(_report(national))[2].summary
    assert summary is not None and summary.total == annual.PDF_GROUP_LIMIT + 1


def test_summary_places_every_shown_group_and_names_the_extremes():
    lines = [
        _line("Laag", 1, 10),  # 10%: band 2 (10–15%)
        _line("Midden", 17, 20),  # 85%: starts band 17, as the schools' histogram does
        _line("Hoog", 4, 4),  # 100%: the last band
        _line("Ook hoog", 4, 4),
        _line("Klein", 1, 2, suppressed=True),
        _line("Zonder resultaten", 0, 0),
    ]
    summary = annual.summarise(lines, extremes=2)
    assert summary.total == 6 and summary.suppressed == 1
    counts = dict(summary.bands)
    assert sum(counts.values()) == 4  # suppressed and unscored groups are not placed
    assert counts["10–15%"] == 1 and counts["85–90%"] == 1 and counts["95–100%"] == 2
    assert [line.row.label for line in summary.lowest] == ["Laag", "Midden"]
    assert [line.row.label for line in summary.highest] == ["Ook hoog", "Hoog"]


@pytest.mark.django_db
def test_a_summarised_pdf_says_the_xlsx_holds_every_group(client, ten_schools, monkeypatch):
    round_ = _publish(ten_schools.round)
    monkeypatch.setattr(annual, "PDF_GROUP_LIMIT", 1)
    text = " ".join(text_of(_download(client, "annual_report_pdf", round_)).split())
    assert "Deze meting telt 2 besturen" in text
    assert "De volledige tabel, met alle 2 besturen en al hun cijfers, staat in het" in text
    assert "(blad Besturen)" in text and "(blad Wijken)" in text
    assert "Stichting Een" in text and "Stichting Twee" in text  # the extremes
    besturen = _sheet(_download(client, "annual_report_xlsx", round_), "Besturen")
    assert {r[0] for r in besturen[1:]} == {"Stichting Een", "Stichting Twee"}


@pytest.mark.django_db
def test_a_pdf_of_a_small_city_has_no_summary_sentence(client, ten_schools):
    round_ = _publish(ten_schools.round)
    text = " ".join(text_of(_download(client, "annual_report_pdf", round_)).split())
    assert "De volledige tabel" not in text
    assert "Stichting Een" in text and "Stad 1" in text and "Buiten 1" in text
