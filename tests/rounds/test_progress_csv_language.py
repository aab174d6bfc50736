"""The progress list's CSV follows the interface language like every CSV the platform writes
(docs/decisions/0235, 0270): Dutch `;`, English `,` (and so quoted text with a comma), both with
formula-like names neutralised. Its numbers are whole percentages: no decimal mark in either."""

import csv
import io

import pytest
from django.urls import reverse

from selfscan.accounts.models import Role, User
from selfscan.scans.models import Scan
from tests.factories import UserFactory
from tests.scans.factories import make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(world, version):
    world.school_a2.name = "De Tweede, Almere"
    world.school_a2.save()
    UserFactory(
        email="formule@example.org",
        first_name="=HYPERLINK(1)",
        last_name="@SOM",
        role=Role.SCHOOL,
        schools=[world.school_a2],
    )
    round_ = make_round(version=version, schools=[world.school_a1, world.school_a2])
    return round_


def download(client, world, round_, language: str) -> bytes:
    client.force_login(world.user("staff"))
    response = client.get(
        reverse("rounds:progress_export", args=[round_.pk, "csv"]),
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())
    return response.content


@pytest.mark.parametrize(
    ("language", "delimiter", "header"),
    [("nl", ";", ["vestigingscode", "school"]), ("en", ",", ["location code", "school"])],
)
def test_progress_csv_in_the_interface_language(client, world, round_, language, delimiter, header):
    content = download(client, world, round_, language)
    text = content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    assert rows[0][:2] == header
    assert {len(row) for row in rows} == {12}  # every row split in all its columns
    formula = [row for row in rows if row[10] == "formule@example.org"]
    assert len(formula) == 1
    name = formula[0][9]
    assert name.startswith("'=HYPERLINK(1)") and name.endswith("@SOM")
    assert formula[0][1] == "De Tweede, Almere"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    percentages = [row[6] for row in rows[1:]]
    assert percentages and all(p.isdigit() for p in percentages)  # whole numbers, no mark
    first_line = text.split("\r\n", 1)[0]
    assert first_line.count(delimiter) == 11


def test_progress_csv_names_start_with_a_guarded_sign(client, world, round_):
    """A name that is itself formula-like, in both languages: an apostrophe before it."""
    User.objects.filter(email="formule@example.org").update(first_name="", last_name="-1+1")
    for language, delimiter in (("nl", ";"), ("en", ",")):
        text = download(client, world, round_, language).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        assert [r[9] for r in rows if r[10] == "formule@example.org"] == ["'-1+1"]
    assert Scan.objects.filter(round=round_).count() == 2
