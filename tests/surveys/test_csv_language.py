"""The survey CSVs follow the interface language like every CSV the platform writes
(docs/decisions/0235, 0270): Dutch `;` and decimal commas, English `,` and decimal points, the
same numbers in both, and formula-like answers neutralised in both."""

import csv
import io

import pytest
from django.urls import reverse

from selfscan.surveys import services
from tests.surveys.factories import add_question, meeting_survey

pytestmark = pytest.mark.django_db

VARIANTS = [("nl", ";", ","), ("en", ",", ".")]


@pytest.fixture
def staff_client(client, world):
    client.force_login(world.user("staff"))
    return client


@pytest.fixture
def survey():
    survey = meeting_survey()
    add_question(survey, "saldo", "number", text="Saldo")
    by_key = {q.key: q.pk for q in survey.questions.all()}
    answers = [
        {"gehoord": True, "droom": 3, "wens": '=HYPERLINK("http://x")', "saldo": -2.5},
        {"gehoord": False, "droom": 4, "wens": "Meer tijd, minder haast", "saldo": 1},
        {"gehoord": True, "droom": 4, "wens": "\t@SOM(A1)", "saldo": 7.25},
    ]
    for n, values in enumerate(answers):
        services.submit_response(
            survey,
            submission_token=f"{n}" * 32,
            values={by_key[k]: v for k, v in values.items()},
        )
    return survey


def rows(client, url: str, language: str, delimiter: str) -> list[list[str]]:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode())
    text = response.content.decode("utf-8-sig")
    result = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    assert len({len(row) for row in result}) == 1  # every row split in all its columns
    return result


@pytest.mark.parametrize(("language", "delimiter", "decimal"), VARIANTS)
def test_summary_csv_in_the_interface_language(staff_client, survey, language, delimiter, decimal):
    url = reverse("surveys:export_summary", args=[survey.pk, "csv"])
    table = rows(staff_client, url, language, delimiter)
    by_label = {(row[1], row[3]): row for row in table}
    mean = by_label[("Cijfer voor de droom", "mean" if language == "en" else "gemiddelde")]
    assert mean[6] == f"3{decimal}67"  # (3 + 4 + 4) / 3, two decimals as on the page
    yes = by_label[("Voelt u zich gehoord?", "yes" if language == "en" else "ja")]
    assert yes[4:6] == ["2", f"66{decimal}7"]  # count, percentage with one decimal
    median = by_label[("Saldo", "median" if language == "en" else "mediaan")]
    assert median[6] == "1"
    minimum = by_label[("Saldo", "minimum")]
    assert minimum[6] == f"-2{decimal}5"  # a number stays a number, also when negative
    other = ";" if decimal == "." else "."
    numbers = [mean[6], yes[5], minimum[6]]
    assert not any(other in n or "'" in n for n in numbers)


@pytest.mark.parametrize(("language", "delimiter", "decimal"), VARIANTS)
def test_responses_csv_in_the_interface_language(
    staff_client, survey, language, delimiter, decimal
):
    url = reverse("surveys:export_responses", args=[survey.pk, "csv"])
    table = rows(staff_client, url, language, delimiter)
    header = table[0]
    assert header[:2] == (["no.", "submitted at"] if language == "en" else ["nr", "ingevuld op"])
    wens = sorted(row[header.index("wens")] for row in table[1:])
    assert wens == sorted(['\'=HYPERLINK("http://x")', "'\t@SOM(A1)", "Meer tijd, minder haast"])
    saldo = sorted(row[header.index("saldo")] for row in table[1:])
    assert saldo == sorted(["-2" + decimal + "5", "1", "7" + decimal + "25"])
    cells = [cell for row in table for cell in row]
    assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for cell in cells)


@pytest.mark.parametrize(("language", "delimiter", "decimal"), VARIANTS)
def test_breakdown_csv_in_the_interface_language(
    staff_client, survey, language, delimiter, decimal
):
    survey.min_group_size = 1
    survey.save()
    url = reverse("surveys:export_breakdown", args=[survey.pk, "csv"])
    table = rows(staff_client, url + "?vraag=gehoord", language, delimiter)
    percentages = [row[6] for row in table[1:] if row[6]]
    assert percentages and all(p.replace(decimal, "", 1).isdigit() for p in percentages)
    assert any(decimal in p for p in percentages)
