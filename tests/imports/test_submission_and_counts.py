"""Issue 14: imported scans take their submission date from the file or the round's closing
date; the dry run (command and page) counts complete, incomplete and skipped schools and warns
when nobody will be submitted."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from selfscan.imports import services
from selfscan.imports.models import RoundImport
from selfscan.imports.validation import SUBMITTED_DATE, parse_submission_date
from selfscan.scans.models import Answer, Scan
from tests.factories import UserFactory
from tests.imports.conftest import long_rows, sample_answers, wide_rows
from tests.imports.factories import csv_bytes, xlsx_bytes
from tests.imports.test_views import page, upload

pytestmark = pytest.mark.django_db


def with_dates(rows: list[list], dates: list, header: str = "ingediend op") -> list[list]:
    """Add a submission-date column to wide rows (one value per school row)."""
    return [[*rows[0], header], *([*row, day] for row, day in zip(rows[1:], dates, strict=True))]


def submitted_days(round) -> dict[str, datetime.date | None]:
    return {
        scan.school.vestigingscode: (
            timezone.localtime(scan.submitted_at).date() if scan.submitted_at else None
        )
        for scan in Scan.objects.filter(round=round).select_related("school")
    }


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2024-11-20", datetime.date(2024, 11, 20)),
        ("2024-11-20 14:03:00", datetime.date(2024, 11, 20)),
        ("20-11-2024", datetime.date(2024, 11, 20)),
        ("5/1/2025", datetime.date(2025, 1, 5)),
        ("31-02-2025", None),
        ("gisteren", None),
    ],
)
def test_parse_submission_date(text, day):
    assert parse_submission_date(text) == day


def test_without_date_column_complete_scans_are_submitted_on_the_closing_date(setup):
    content = csv_bytes(wide_rows(setup, sample_answers(setup)))
    services.apply_import(round=setup.round, content=content, file_name="x.csv", by=None)
    days = submitted_days(setup.round)
    last = setup.schools[-1].vestigingscode  # incomplete
    assert days.pop(last) is None
    assert set(days.values()) == {setup.round.closes_on}
    scan = Scan.objects.get(round=setup.round, school=setup.schools[0])
    assert scan.submitted_at.date() != timezone.localdate()  # never the import moment
    assert scan.last_activity_at == scan.submitted_at


def test_wide_date_column_gives_each_school_its_day_in_csv_and_xlsx(setup):
    dates = ["2024-11-20", "21-11-2024", "", ""]
    rows = with_dates(wide_rows(setup, sample_answers(setup)), dates)
    services.apply_import(round=setup.round, content=csv_bytes(rows), file_name="x.csv", by=None)
    days = submitted_days(setup.round)
    codes = [s.vestigingscode for s in setup.schools]
    assert days[codes[0]] == datetime.date(2024, 11, 20)
    assert days[codes[1]] == datetime.date(2024, 11, 21)
    assert days[codes[2]] == setup.round.closes_on  # empty cell: the closing date
    assert days[codes[3]] is None  # incomplete: not submitted


def test_xlsx_date_cells(setup):
    dates = [datetime.datetime(2024, 11, 19, 9, 30), datetime.date(2024, 11, 18), None, None]
    rows = with_dates(wide_rows(setup, sample_answers(setup)), dates, header="Datum ingediend")
    report = services.check_import(round=setup.round, content=xlsx_bytes(rows), file_name="x.xlsx")
    assert report.ok, report.problems
    assert [plan.submitted_on for plan in report.schools[:2]] == [
        datetime.date(2024, 11, 19),
        datetime.date(2024, 11, 18),
    ]
    assert not any("Datum ingediend" in warning for warning in report.warnings)  # read


def test_long_layout_date_column(setup):
    answers = sample_answers(setup)
    rows = long_rows(setup, answers)
    rows[0].append("ingediend op")
    for row in rows[1:]:
        row.append("2024-11-25" if row[0] == setup.schools[0].vestigingscode else "")
    services.apply_import(round=setup.round, content=csv_bytes(rows), file_name="x.csv", by=None)
    days = submitted_days(setup.round)
    assert days[setup.schools[0].vestigingscode] == datetime.date(2024, 11, 25)
    assert days[setup.schools[1].vestigingscode] == setup.round.closes_on


@pytest.mark.parametrize(
    ("dates", "message"),
    [
        (["vorige week", "", "", ""], "'vorige week' is geen datum; schrijf JJJJ-MM-DD"),
        (["2099-01-01", "", "", ""], "ligt in de toekomst"),
    ],
)
def test_a_bad_date_refuses_the_file_with_row_and_column(setup, dates, message):
    rows = with_dates(wide_rows(setup, sample_answers(setup)), dates)
    report = services.check_import(round=setup.round, content=csv_bytes(rows), file_name="x.csv")
    assert not report.ok and report.problem_kinds == {SUBMITTED_DATE}
    (problem,) = report.problems
    column = len(rows[0])  # the last column, as a letter
    assert f"rij 2, kolom {chr(64 + column)} (ingediend op)" in problem.message
    assert message in problem.message
    with pytest.raises(services.ImportRefused):
        services.apply_import(
            round=setup.round, content=csv_bytes(rows), file_name="x.csv", by=None
        )
    assert not Answer.objects.exists()


def test_two_dates_for_one_school_in_the_long_layout_are_refused(setup):
    rows = long_rows(setup, sample_answers(setup))
    rows[0].append("ingediend op")
    school_rows = [row for row in rows[1:] if row[0] == setup.schools[0].vestigingscode]
    for row in rows[1:]:
        row.append("")
    school_rows[0][-1] = "2024-11-20"
    school_rows[1][-1] = "2024-11-21"
    report = services.check_import(round=setup.round, content=csv_bytes(rows), file_name="x.csv")
    assert report.problem_kinds == {SUBMITTED_DATE}
    assert "één datum per school" in report.problems[0].message


# --- counts and the warning when nobody is submitted -----------------------------------------


def _without_statement(rows: list[list], code: str) -> list[list]:
    """The wide rows without the column of `code` (as when streefniveau columns are left out)."""
    index = rows[0].index(code)
    return [row[:index] + row[index + 1 :] for row in rows]


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_round", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_command_dry_run_states_the_counts(setup, tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(csv_bytes(wide_rows(setup, sample_answers(setup))))
    out = run("--round", setup.round.name, str(path), "--dry-run")
    assert "Scholen: 3 volledig (worden ingediend), 1 onvolledig (niet ingediend), " in out
    assert "0 overgeslagen (geen antwoorden)" in out
    assert "geen enkele school is volledig" not in out
    assert not Answer.objects.exists()


def test_command_warns_when_a_missing_column_means_nobody_is_submitted(setup, tmp_path):
    code = setup.codes[-1]
    rows = _without_statement(wide_rows(setup, sample_answers(setup, complete_all=True)), code)
    path = tmp_path / "zonder-streefniveau.csv"
    path.write_bytes(csv_bytes(rows))
    out = run("--round", setup.round.name, str(path))
    assert "Scholen: 0 volledig (worden ingediend), 4 onvolledig (niet ingediend)" in out
    assert "Let op: geen enkele school is volledig, dus geen enkele zelfscan wordt ingediend" in out
    assert (
        f"Geen enkele school heeft een antwoord op 1 stelling(en) die voor haar gelden: {code}."
        in out
    )
    assert not Answer.objects.exists()


def test_command_refuses_apply_with_dry_run(setup, tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(csv_bytes(wide_rows(setup, sample_answers(setup))))
    with pytest.raises(CommandError, match="Kies --apply of --dry-run, niet allebei"):
        run("--round", setup.round.name, str(path), "--apply", "--dry-run")
    assert not Answer.objects.exists()


@pytest.fixture
def staff_client(client):
    staff = UserFactory(role="staff")
    client.force_login(staff)
    return client


def test_page_dry_run_shows_the_counts_and_the_warning(
    setup, staff_client, django_capture_on_commit_callbacks
):
    code = setup.codes[-1]
    rows = _without_statement(wide_rows(setup, sample_answers(setup, complete_all=True)), code)
    with django_capture_on_commit_callbacks(execute=True):
        upload(staff_client, setup.round, csv_bytes(rows))
    html = page(staff_client, RoundImport.objects.get())
    assert "Geen enkele zelfscan wordt ingediend." in html
    assert 'Volledig: worden ingediend</th><td class="num">0</td>' in html
    assert 'Onvolledig: niet ingediend</th><td class="num">4</td>' in html
    assert f"heeft een antwoord op 1 stelling(en) die voor haar gelden: {code}" in html


def test_page_dry_run_of_a_good_file_has_no_warning(
    setup, staff_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(staff_client, setup.round, csv_bytes(wide_rows(setup, sample_answers(setup))))
    html = page(staff_client, RoundImport.objects.get())
    assert "Geen enkele zelfscan wordt ingediend." not in html
    assert 'Volledig: worden ingediend</th><td class="num">3</td>' in html


def test_command_as_names_who_imported(setup, tmp_path):
    staff = UserFactory(role="staff", email="swv@example.org")
    path = tmp_path / "x.csv"
    path.write_bytes(csv_bytes(wide_rows(setup, sample_answers(setup))))
    out = run("--round", setup.round.name, str(path), "--apply", "--as", staff.email)
    assert "Scholen: 3 volledig (worden ingediend), 1 onvolledig" in out
    assert set(
        Scan.objects.filter(imported_at__isnull=False).values_list("imported_by", flat=True)
    ) == {staff.pk}


def test_command_as_refuses_someone_without_the_right(setup, tmp_path):
    board = UserFactory(role="board", email="bestuur@example.org")
    path = tmp_path / "x.csv"
    path.write_bytes(csv_bytes(wide_rows(setup, sample_answers(setup))))
    with pytest.raises(CommandError, match=r"bestuur@example\.org mag geen resultaten importeren"):
        run("--round", setup.round.name, str(path), "--apply", "--as", board.email)
    with pytest.raises(CommandError, match=r"Geen actieve gebruiker met e-mailadres niemand@x\.nl"):
        run("--round", setup.round.name, str(path), "--apply", "--as", "niemand@x.nl")
    assert not Answer.objects.exists()
