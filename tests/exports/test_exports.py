"""Exports: within the user's access, formula-safe, importable, large ones in the background."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from selfscan.exports import services
from selfscan.exports.models import ExportJob
from tests.results.world import world_round

pytestmark = pytest.mark.django_db

EVIL = ['=HYPERLINK("http://example.org","klik")', "@SUM(A1:A9)"]


@pytest.fixture
def evil_round(world):
    round_ = world_round(world)
    scan = round_.scans.get(school=world.school_a1)
    answers = list(scan.answers.order_by("statement__code"))
    answers[0].comment = EVIL[0]
    answers[1].comment = EVIL[1]
    for answer in answers[:2]:
        answer.save()
    return round_


def _post(client, round_, kind, file_format):
    return client.post(
        reverse("exports:index"), {"round": round_.pk, "kind": kind, "file_format": file_format}
    )


def test_formulas_in_comments_are_neutralised_in_csv(client, world, evil_round):
    client.force_login(world.user("school"))
    response = _post(client, evil_round, "stellingen", "csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    comments = [row[3] for row in rows[1:]]
    assert "'" + EVIL[0] in comments and "'" + EVIL[1] in comments
    assert not any(c.startswith(("=", "@", "+", "-")) for row in rows for c in row)


def test_formulas_in_comments_are_neutralised_in_xlsx(client, world, evil_round):
    client.force_login(world.user("school"))
    response = _post(client, evil_round, "stellingen", "xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Resultaten", "Gegevenswoordenboek"]
    cells = [c for row in workbook["Resultaten"].iter_rows() for c in row]
    values = [c.value for c in cells]
    assert "'" + EVIL[0] in values and "'" + EVIL[1] in values
    assert all(c.data_type != "f" for c in cells)
    dictionary = [row[0].value for row in workbook["Gegevenswoordenboek"].iter_rows(min_row=2)]
    assert dictionary[:4] == ["vestigingscode", "stellingcode", "antwoord", "toelichting"]


def test_statement_export_has_import_columns_and_only_own_school(client, world, evil_round):
    client.force_login(world.user("school"))
    text = _post(client, evil_round, "stellingen", "csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:4] == ["vestigingscode", "stellingcode", "antwoord", "toelichting"]
    assert {row[0] for row in rows[1:]} == {"11AA00"}
    assert len(rows) == 1 + 6  # one row per statement of its scan
    assert {row[2] for row in rows[1:]} == {"3"}


def test_school_export_of_a_board_holds_its_schools_only(client, world, evil_round):
    client.force_login(world.user("board"))
    response = _post(client, evil_round, "scholen", "xlsx")
    sheet = load_workbook(io.BytesIO(response.content))["Resultaten"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:2] == ("vestigingscode", "school")
    codes = sorted(str(row[0]) for row in rows[1:])
    assert codes == ["11AA00", "11AB00"]
    first = dict(zip(header, rows[1], strict=False))
    assert (first["voldoende"], first["beantwoord"], first["aandeel"], first["voldoet"]) == (
        6,
        6,
        1,
        1,
    )


def test_large_export_runs_as_a_job_only_the_requester_downloads(
    client, world, evil_round, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "ASYNC_ROWS", 2)
    # The Celery path itself is tested with a real worker (test_worker_export.py); here the
    # enqueued call runs the job directly, after commit, as the worker would.
    from selfscan.exports import tasks

    monkeypatch.setattr(tasks.run_export, "delay", lambda job_id: services.run_job(job_id))
    client.force_login(world.user("board"))
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, evil_round, "stellingen", "csv")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "exports:job", args=[job.pk]
    )
    job.refresh_from_db()
    assert (job.status, job.progress) == (ExportJob.Status.DONE, 100)
    page = client.get(reverse("exports:job", args=[job.pk])).content.decode()
    assert "De export is klaar." in page
    download = client.get(reverse("exports:job_download", args=[job.pk]))
    assert download.status_code == 200
    assert b"11AB00" in download.content and b"11AC00" not in download.content
    client.force_login(world.user("other_board"))
    assert client.get(reverse("exports:job_download", args=[job.pk])).status_code == 404


def test_running_a_job_twice_does_no_harm(world, evil_round):
    job = ExportJob.objects.create(
        requested_by=world.user("school"), round=evil_round, kind="scholen", file_format="csv"
    )
    services.run_job(job.pk)
    first = ExportJob.objects.get(pk=job.pk)
    services.run_job(job.pk)
    second = ExportJob.objects.get(pk=job.pk)
    assert bytes(first.content) == bytes(second.content) and second.status == ExportJob.Status.DONE


def test_tampered_form_changes_nothing(client, world, evil_round):
    client.force_login(world.user("school"))
    response = client.post(
        reverse("exports:index"), {"round": evil_round.pk, "kind": "alles", "file_format": "exe"}
    )
    assert response.status_code == 200
    assert "Controleer het formulier" in response.content.decode()
    assert not ExportJob.objects.exists()


def test_school_export_holds_reflection_and_action_formula_safe(client, world, evil_round):
    from selfscan.plans.models import ImprovementAction
    from selfscan.scans.models import ThemeReflection

    scan = evil_round.scans.get(school=world.school_a1)
    theme = scan.norm_version.themes.order_by("order").first()
    ThemeReflection.objects.create(scan=scan, theme=theme, reflection="=1+1 we evalueren te weinig")
    ImprovementAction.objects.create(scan=scan, theme=theme, what="Scholing.", status="bezig")
    client.force_login(world.user("school"))
    text = _post(client, evil_round, "scholen", "csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    row = dict(zip(rows[0], rows[1], strict=False))
    assert row[f"reflectie_{theme.code}"] == "'=1+1 we evalueren te weinig"
    assert row[f"verbeteracties_{theme.code}"] == "Scholing. [Bezig, –]"


def test_a_formula_behind_a_zero_width_space_is_guarded_in_csv_and_xlsx(client, world):
    round_ = world_round(world)
    answer = round_.scans.get(school=world.school_a1).answers.order_by("statement__code").first()
    answer.comment = "\u200b=1+1"
    answer.save()
    client.force_login(world.user("school"))
    text = _post(client, round_, "stellingen", "csv").content.decode("utf-8-sig")
    comments = [row[3] for row in csv.reader(io.StringIO(text), delimiter=";")]
    assert "'\u200b=1+1" in comments
    workbook = load_workbook(io.BytesIO(_post(client, round_, "stellingen", "xlsx").content))
    values = [c.value for row in workbook["Resultaten"].iter_rows() for c in row]
    assert "'\u200b=1+1" in values


def test_school_export_xlsx_is_ready_for_excel(client, world, evil_round):
    client.force_login(world.user("board"))
    response = _post(client, evil_round, "scholen", "xlsx")
    sheet = load_workbook(io.BytesIO(response.content))["Resultaten"]
    header = [c.value for c in sheet[1]]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(row=1, column=len(header)).column_letter}3"
    share = header.index("aandeel") + 1
    assert sheet.cell(row=2, column=share).number_format == "0.0%"
    assert sheet.cell(row=2, column=header.index("voldoende") + 1).number_format == "0"
    assert sheet.column_dimensions["B"].width >= len(str(sheet["B2"].value))
