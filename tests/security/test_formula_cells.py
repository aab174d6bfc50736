"""Exports cannot carry spreadsheet formulas, also behind leading spaces or in full-width form."""

import csv
import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from selfscan.core.spreadsheets import safe_cell
from selfscan.imports import parsing
from selfscan.surveys import services
from tests.surveys.factories import add_question, make_survey

SNEAKY = [
    ' =HYPERLINK("http://x")',
    "\n=1+1",
    "  @SUM(A1)",
    "\u00a0-2+3",
    '＝HYPERLINK("http://x")',
    "＋31 6",
    "\u3000＠A1",
    "\u200b=1+1",  # zero-width space
    "\u200d\u200c+31",  # zero-width joiner and non-joiner
    "\ufeff@SUM(A1)",  # byte order mark
    "\u00ad-2",  # soft hyphen
    "\u2060\u200e=A1",  # word joiner, left-to-right mark
    "\u2003\u200b =1",  # em space, zero-width space, space
    "\u2028=1",  # line separator
    " \tx",
]


@pytest.mark.parametrize("text", SNEAKY)
def test_formula_behind_whitespace_or_full_width_is_guarded(text: str) -> None:
    assert safe_cell(text) == "'" + text
    assert parsing.unescape_formula_guard(safe_cell(text)) == text


@pytest.mark.parametrize(
    "text", ["Goed gesprek", " tekst met spatie", "3 - 2", "", "a=b", "\u200b", "\u200btekst"]
)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert safe_cell(text) == text


def test_numbers_stay_numbers() -> None:
    assert safe_cell(-3) == -3 and safe_cell(2.5) == 2.5


@pytest.mark.django_db
def test_survey_exports_guard_full_width_formulas(client: Any, world: Any) -> None:
    survey = make_survey("Bijeenkomst")
    question = add_question(survey, "wens", "short_text", text="Wens")
    services.submit_response(
        survey, submission_token="t" * 30, values={question.pk: '＝HYPERLINK("http://x")'}
    )
    client.force_login(world.user("staff"))
    raw = client.get(reverse("surveys:export_responses", args=[survey.pk, "csv"]))
    rows = list(csv.reader(io.StringIO(raw.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][rows[0].index("wens")] == '\'＝HYPERLINK("http://x")'
    xlsx = client.get(reverse("surveys:export_responses", args=[survey.pk, "xlsx"]))
    values = [
        c.value for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows() for c in row
    ]
    assert '\'＝HYPERLINK("http://x")' in values
