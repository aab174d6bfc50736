"""One rule for "n.v.t. without explanation" (issue 14, decision 0150): the plain function
`is_answered`, its two SQL forms, and the three places that use them (import, progress screen,
results) agree."""

import pytest
from django.db.models import Count

from selfscan.imports import services as imports
from selfscan.rounds.selectors import progress
from selfscan.scans.models import Answer, Scan
from selfscan.scans.progress import (
    answered_filter,
    counted_nvt_filter,
    is_answered,
    scan_completeness,
)
from tests.factories import UserFactory
from tests.imports.conftest import sample_answers, wide_rows
from tests.imports.factories import csv_bytes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "explanation", "final", "answered"),
    [
        ("", "", False, False),
        ("", "uitleg", True, False),
        ("3", "", False, True),
        ("NVT", "", False, False),  # online, still being filled in: explain n.v.t.
        ("NVT", "Geen leerlingen met deze behoefte", False, True),
        ("NVT", "", True, True),  # imported or submitted: it counts
    ],
)
def test_is_answered(value, explanation, final, answered):
    assert is_answered(value, explanation, final=final) is answered


def _import(setup):
    staff = UserFactory(role="staff")
    content = csv_bytes(wide_rows(setup, sample_answers(setup)))
    report = imports.apply_import(round=setup.round, content=content, file_name="x.csv", by=staff)
    return staff, report


def test_sample_file_has_nvt_without_explanation(setup):
    answers = sample_answers(setup)
    assert any(value == "NVT" for value, _comment in answers.values())


def test_imported_nvt_without_explanation_is_complete_on_import_progress_and_scan_page(setup):
    staff, report = _import(setup)
    complete = {plan.scan_id for plan in report.schools_to_import if plan.complete}
    assert len(complete) == len(setup.schools) - 1
    assert Answer.objects.filter(value="NVT", nvt_explanation="").exists()
    rows = {row.scan.pk: row for row in progress(staff, setup.round, {}).rows}
    for scan_id in complete:
        # Before the rule was shared, the progress screen left these n.v.t. out.
        assert rows[scan_id].answered == rows[scan_id].total
        assert rows[scan_id].percent == 100
        assert scan_completeness(Scan.objects.get(pk=scan_id)).complete


def test_online_scan_needs_the_explanation_on_every_page(setup):
    """A scan being filled in online: an n.v.t. without explanation is not answered yet, on the
    scan page and on the progress screen alike."""
    staff = UserFactory(role="staff")
    scan = Scan.objects.filter(round=setup.round).order_by("pk")[0]
    statement = next(s for s in setup.statements if s.nvt_allowed)
    Scan.objects.filter(pk=scan.pk).update(status=Scan.Status.IN_PROGRESS)
    Answer.objects.create(scan=scan, statement=statement, value="NVT", nvt_explanation="")
    scan.refresh_from_db()
    assert scan_completeness(scan).answered == 0
    row = next(r for r in progress(staff, setup.round, {}).rows if r.scan.pk == scan.pk)
    assert row.answered == 0
    Answer.objects.filter(scan=scan).update(nvt_explanation="Geen leerlingen")
    assert scan_completeness(scan).answered == 1
    row = next(r for r in progress(staff, setup.round, {}).rows if r.scan.pk == scan.pk)
    assert row.answered == 1


def test_sql_filters_say_what_the_function_says(setup):
    """Every combination of value, explanation and kind of scan, through the database."""
    scans = list(Scan.objects.filter(round=setup.round).order_by("pk"))
    online, submitted, imported = scans[0], scans[1], scans[2]
    Scan.objects.filter(pk=online.pk).update(status=Scan.Status.IN_PROGRESS)
    Scan.objects.filter(pk=submitted.pk).update(status=Scan.Status.SUBMITTED)
    Scan.objects.filter(pk=imported.pk).update(
        status=Scan.Status.IN_PROGRESS, imported_from="x", imported_at="2025-01-01T12:00Z"
    )
    cases = [("", ""), ("3", ""), ("NVT", ""), ("NVT", "uitleg")]
    expected = {}
    for scan, final in ((online, False), (submitted, True), (imported, True)):
        for statement, (value, explanation) in zip(setup.statements, cases, strict=False):
            answer = Answer.objects.create(
                scan=scan, statement=statement, value=value, nvt_explanation=explanation
            )
            expected[answer.pk] = (
                is_answered(value, explanation, final=final),
                value == "NVT" and is_answered(value, explanation, final=final),
            )
    answered = set(Answer.objects.filter(answered_filter()).values_list("pk", flat=True))
    nvt = set(Answer.objects.filter(counted_nvt_filter()).values_list("pk", flat=True))
    assert answered == {pk for pk, (a, _n) in expected.items() if a}
    assert nvt == {pk for pk, (_a, n) in expected.items() if n}
    from_scans = dict(
        Scan.objects.filter(pk__in=[online.pk, submitted.pk, imported.pk])
        .annotate(n=Count("answers", filter=answered_filter(answer="answers__", scan="")))
        .values_list("pk", "n")
    )
    assert from_scans == {online.pk: 2, submitted.pk: 3, imported.pk: 3}
