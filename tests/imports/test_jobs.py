"""The background jobs of the import page: idempotent, in the uploader's language, and bounded
(problems counted, the first ones kept in file order; limits on rows and cells)."""

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from selfscan.audit.models import AuditEvent
from selfscan.imports import jobs, parsing, services
from selfscan.imports.models import RoundImport
from selfscan.imports.validation import Problems
from selfscan.scans.models import Answer
from tests.factories import UserFactory
from tests.imports.conftest import sample_answers, wide_rows
from tests.imports.factories import csv_bytes

pytestmark = pytest.mark.django_db


def start(setup, content, by=None, **kwargs):
    return jobs.start_check(
        round=setup.round, content=content, file_name="f.csv", by=by or UserFactory(), **kwargs
    )


def test_running_the_dry_run_twice_does_no_harm(setup):
    record = start(setup, csv_bytes(wide_rows(setup, sample_answers(setup))))
    jobs.run_check(record.pk)
    first = RoundImport.objects.get()
    jobs.run_check(record.pk)
    second = RoundImport.objects.get()
    assert first.status == second.status == RoundImport.Status.CHECKED
    assert first.report == second.report and first.report["to_import"] == 4
    assert AuditEvent.objects.filter(action="import.checked").count() == 1


def test_a_late_dry_run_does_not_undo_a_confirmation(setup):
    by = UserFactory(role="staff")
    record = start(setup, csv_bytes(wide_rows(setup, sample_answers(setup))), by=by)
    jobs.run_check(record.pk)
    assert jobs.confirm_import(record, by=by, sha256=record.sha256) == jobs.QUEUED
    jobs.run_check(record.pk)  # the check task delivered once more
    assert RoundImport.objects.get().status == RoundImport.Status.APPLYING
    jobs.run_apply(record.pk)
    assert RoundImport.objects.get().status == RoundImport.Status.APPLIED


def test_a_crash_while_applying_stores_nothing_and_is_shown(setup, monkeypatch):
    by = UserFactory(role="staff")
    record = start(setup, csv_bytes(wide_rows(setup, sample_answers(setup))), by=by)
    jobs.run_check(record.pk)
    jobs.confirm_import(record, by=by, sha256=record.sha256)

    def crash(*args, **kwargs):
        raise RuntimeError("schijf vol")

    monkeypatch.setattr(services, "refresh_round_results", crash)  # after the answers are written
    jobs.run_apply(record.pk)
    record.refresh_from_db()
    assert (record.status, record.error) == (RoundImport.Status.FAILED, "RuntimeError")
    assert not Answer.objects.exists()
    assert not AuditEvent.objects.filter(action="import_round").exists()


def test_the_job_writes_problems_in_the_uploaders_language(setup):
    rows = wide_rows(setup, sample_answers(setup))
    rows[2][3] = "7"
    with translation.override("en"):
        record = start(setup, csv_bytes(rows))
    jobs.run_check(record.pk)  # the worker's own language is Dutch
    record.refresh_from_db()
    assert record.language == "en"
    assert record.report["problems"][0].startswith(f"row 3, column D ({setup.codes[1]}): ")


def test_old_unapplied_uploads_are_deleted_applied_ones_kept(setup):
    from datetime import timedelta

    from django.utils import timezone

    by = UserFactory(role="staff")
    content = csv_bytes(wide_rows(setup, sample_answers(setup)))
    applied = start(setup, content, by=by)
    jobs.run_check(applied.pk)
    jobs.confirm_import(applied, by=by, sha256=applied.sha256)
    jobs.run_apply(applied.pk)
    checked = start(setup, b"vestigingscode;T01.01\r\n", by=by)
    RoundImport.objects.update(uploaded_at=timezone.now() - timedelta(days=3))
    assert jobs.delete_stale_imports() == 1
    assert list(RoundImport.objects.values_list("pk", flat=True)) == [applied.pk]
    assert not RoundImport.objects.filter(pk=checked.pk).exists()


# --- bounded problems and files -------------------------------------------------------------


@given(
    st.lists(
        st.tuples(st.integers(min_value=1, max_value=30), st.integers(min_value=0, max_value=5)),
        max_size=60,
    ),
    st.integers(min_value=1, max_value=10),
)
def test_problems_keep_the_first_in_file_order_and_count_all(cells, limit):
    problems = Problems(limit)
    for found, (row, column) in enumerate(cells):
        problems.add("soort", f"fout {found}", row, column, "kop")
    in_file_order = sorted(range(len(cells)), key=lambda found: (*cells[found], found))
    assert [p.text for p in problems.kept()] == [f"fout {f}" for f in in_file_order[:limit]]
    assert problems.count == len(cells)


def test_texts_are_made_only_for_problems_that_are_kept():
    made: list[int] = []

    def text(row: int):
        def make() -> str:
            made.append(row)
            return f"rij {row}"

        return make

    problems = Problems(2)
    for row in range(2, 100):
        problems.add("soort", text(row), row, 1)
    problems.add("bestand", "het hele bestand")  # no location: first in file order
    assert [p.message for p in problems.kept()] == ["het hele bestand", "rij 2, kolom B: rij 2"]
    assert made == [2, 3]
    assert problems.count == 99


def test_more_rows_than_a_round_can_hold_is_one_clear_problem(setup, monkeypatch):
    monkeypatch.setattr(parsing, "MAX_DATA_ROWS", 3)
    school = setup.schools[0].vestigingscode
    rows = [["vestigingscode", "stelling", "antwoord"]] + [[school, "X", "9"]] * 4
    report = services.check_import(round=setup.round, content=csv_bytes(rows), file_name="x")
    assert [p.message for p in report.problems] == [
        "Het bestand heeft meer dan 3 rijen met gegevens; zoveel kunnen de resultaten van één "
        "ronde niet zijn. Controleer of u het goede bestand hebt gekozen."
    ]
    rows = [*rows[:4], [], [], []]  # empty rows do not count
    report = services.check_import(round=setup.round, content=csv_bytes(rows), file_name="x")
    assert services.FILE not in report.problem_kinds


def test_more_cells_than_a_round_can_hold_is_one_clear_problem(setup, monkeypatch):
    monkeypatch.setattr(parsing, "MAX_CELLS", 1000)
    school = setup.schools[0].vestigingscode
    rows = [["vestigingscode", *setup.codes]] + [[school, *["3"] * 600]] * 2
    report = services.check_import(round=setup.round, content=csv_bytes(rows), file_name="x")
    assert report.problem_count == 1
    assert report.problems[0].message.startswith("Het bestand heeft meer dan 1.000 cellen")


def test_wide_rows_read_only_their_own_cells():
    content = csv_bytes(
        [
            ["vestigingscode", "T01.01", "T01.01 uitleg nvt", "T09.09 toelichting", "T01.02"],
            ["12AB00", "nvt", "geen groep 8", "'=los"],
            ["12AC00", "", "", "", "4"],
            ["12AD00"],
        ]
    )
    sheet = parsing.parse(content)
    assert [(e.row, e.code, e.answer, e.comment, e.nvt_explanation) for e in sheet.entries] == [
        (2, "T01.01", "nvt", "", "geen groep 8"),
        (2, "T09.09", "", "=los", ""),
        (3, "T01.02", "4", "", ""),
    ]
    assert [row.school for row in sheet.school_rows] == ["12AB00", "12AC00", "12AD00"]
