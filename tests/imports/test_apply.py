"""Applying a clean file: answers stored, scans submitted or left incomplete, provenance kept."""

import pytest

from selfscan.audit.models import AuditEvent
from selfscan.imports import services
from selfscan.imports.models import RoundImport
from selfscan.scans.models import Answer, Scan, ScanEvent
from tests.factories import UserFactory
from tests.imports.conftest import expected, sample_answers, stored, wide_rows
from tests.imports.factories import csv_bytes

pytestmark = pytest.mark.django_db


def test_clean_file_is_stored_with_provenance(setup):
    staff = UserFactory(role="staff")
    answers = sample_answers(setup)
    content = csv_bytes(wide_rows(setup, answers))
    report = services.apply_import(
        round=setup.round, content=content, file_name="0-meting.csv", by=staff
    )
    assert report.applied
    assert stored(setup.round) == expected(answers)
    scans = {s.school.vestigingscode: s for s in Scan.objects.filter(round=setup.round)}
    last = setup.schools[-1].vestigingscode
    for code, scan in scans.items():
        assert scan.imported_by == staff
        assert scan.imported_at is not None
        assert scan.imported_from == f"0-meting.csv sha256:{services.sha256_of(content)}"
        if code == last:
            assert scan.status == Scan.Status.IN_PROGRESS
            assert scan.submitted_at is None
        else:
            assert scan.status == Scan.Status.SUBMITTED
            # The earlier round's closing date (no date column), not the import moment.
            assert scan.submitted_at == services.submission_moment(setup.round.closes_on)
    assert ScanEvent.objects.filter(kind=ScanEvent.Kind.IMPORTED).count() == len(scans)
    event = AuditEvent.objects.get(action="import_round")
    assert event.actor == staff
    assert event.changes["volledig_ingediend"] == len(scans) - 1
    assert event.changes["onvolledig"] == 1
    record = RoundImport.objects.get()
    assert record.status == RoundImport.Status.APPLIED
    assert record.answers_count == sum(1 for v, _c in answers.values() if v)


def test_school_row_without_answers_is_skipped(setup):
    answers = {
        k: v for k, v in sample_answers(setup).items() if k[0] != setup.schools[0].vestigingscode
    }
    rows = wide_rows(setup, answers)
    report = services.apply_import(
        round=setup.round, content=csv_bytes(rows), file_name="a.csv", by=None
    )
    assert any("geen antwoorden" in warning for warning in report.warnings)
    untouched = Scan.objects.get(round=setup.round, school=setup.schools[0])
    assert untouched.status == Scan.Status.NOT_STARTED
    assert untouched.imported_at is None
    assert not Answer.objects.filter(scan=untouched).exists()


def test_empty_answer_rows_of_an_opened_scan_are_filled_in(setup):
    scan = Scan.objects.get(round=setup.round, school=setup.schools[0])
    Answer.objects.create(scan=scan, statement=setup.statements[0], value="")
    answers = sample_answers(setup)
    services.apply_import(
        round=setup.round, content=csv_bytes(wide_rows(setup, answers)), file_name="a.csv", by=None
    )
    assert stored(setup.round) == expected(answers)


def test_open_round_is_refused(db):
    from tests.imports.conftest import make_setup

    setup = make_setup(status="open")
    content = csv_bytes(wide_rows(setup, sample_answers(setup)))
    with pytest.raises(services.ImportRefused) as refused:
        services.apply_import(round=setup.round, content=content, file_name="a.csv", by=None)
    assert refused.value.report.problem_kinds == {services.ROUND_STATUS}
    assert not Answer.objects.exists()
