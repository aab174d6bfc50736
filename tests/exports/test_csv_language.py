"""The results CSV follows the interface language (docs/decisions/0235): Dutch gets `;` and a
decimal comma, English `,` and a decimal point, with the same numbers; a background job writes
the file in the language of the user who asked for it."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation

from selfscan.core import spreadsheets as sheets
from selfscan.exports import services
from selfscan.exports.models import ExportJob
from tests.factories import UserFactory
from tests.results.conftest import ten_schools  # noqa: F401 (fixture: shares such as 17/20)
from tests.results.world import world_round

pytestmark = pytest.mark.django_db


def _rows(content: bytes, delimiter: str) -> list[dict[str, str]]:
    text = content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=delimiter))


def test_dialect_by_language():
    assert sheets.csv_dialect("nl") == sheets.DUTCH_CSV == sheets.CsvDialect(";", ",")
    assert sheets.csv_dialect("en") == sheets.ENGLISH_CSV == sheets.CsvDialect(",", ".")
    assert sheets.csv_dialect("en-gb") == sheets.ENGLISH_CSV
    assert sheets.csv_dialect("nl-nl") == sheets.DUTCH_CSV
    with translation.override("en"):
        assert sheets.csv_dialect() == sheets.ENGLISH_CSV
    with translation.override("nl"):
        assert sheets.csv_dialect() == sheets.DUTCH_CSV


def test_english_file_has_commas_between_and_points_within():
    content = services.write_csv(
        [("school", "naam"), ("aandeel", "fractie")],
        iter([["De Tweede, Almere", 0.75], ["X", None]]),
        dialect=sheets.ENGLISH_CSV,
    )
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows == [["school", "aandeel"], ["De Tweede, Almere", "0.75"], ["X", ""]]


def _download(client, round_, language: str) -> bytes:
    response = client.post(
        reverse("exports:index"),
        {"round": round_.pk, "kind": "scholen", "file_format": "csv"},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return response.content


def test_download_in_each_language_holds_the_same_numbers(client, ten_schools):  # noqa: F811
    from selfscan.accounts.models import Role

    round_ = ten_schools.round
    client.force_login(UserFactory(role=Role.STAFF))
    dutch = _rows(_download(client, round_, "nl"), ";")
    english = _rows(_download(client, round_, "en"), ",")
    assert len(dutch) == len(english) > 0
    share_columns = [c for c in dutch[0] if c.startswith("aandeel")]
    assert share_columns
    fractions = 0
    for nl_row, en_row in zip(dutch, english, strict=True):
        assert nl_row.keys() == en_row.keys()
        for column in share_columns:
            nl_value, en_value = nl_row[column], en_row[column]
            assert "." not in nl_value and "," not in en_value
            assert nl_value.replace(",", ".") == en_value
            fractions += "," in nl_value
    assert fractions > 0  # the comparison covered numbers with a decimal part


def test_background_job_writes_in_the_requesters_language(world, monkeypatch):
    round_ = world_round(world)
    from selfscan.exports import tasks

    monkeypatch.setattr(tasks.run_export, "delay", lambda job_id: None)
    with translation.override("en"):
        job = services.request_export(
            user=world.user("staff"), round_=round_, kind="scholen", file_format="csv"
        )
    assert ExportJob.objects.get(pk=job.pk).language == "en"
    with translation.override("nl"):  # the worker's own language does not matter
        services.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    english = _rows(bytes(job.content), ",")
    assert english and "aandeel" in english[0]
    dutch_job = ExportJob.objects.create(
        requested_by=world.user("staff"), round=round_, kind="scholen", file_format="csv"
    )
    services.run_job(dutch_job.pk)
    dutch_job.refresh_from_db()
    dutch = _rows(bytes(dutch_job.content), ";")
    assert [r["aandeel"].replace(",", ".") for r in dutch] == [r["aandeel"] for r in english]


def test_the_writer_guards_every_text_cell_and_keeps_numbers_numbers():
    """The one CSV writer guards text itself (rows need not come guarded); a negative number
    is digits, a sign and the decimal mark, so it stays a number (docs/decisions/0270)."""
    content = services.write_csv(
        [("=kolom", ""), ("waarde", "")],
        iter([["=1+1", -0.5], ["\t@SOM(A1)", -3], [" -1+1", None]]),
        dialect=sheets.DUTCH_CSV,
    )
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows == [
        ["'=kolom", "waarde"],
        ["'=1+1", "-0,5"],
        ["'\t@SOM(A1)", "-3"],
        ["' -1+1", ""],
    ]
