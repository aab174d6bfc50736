"""Importing the results of an earlier round: apply a checked file, all or nothing.

`apply_import` checks the file again (`validation.check_import`) inside one transaction and
writes only when there is no problem at all. The staff page runs its dry run and the import as
background jobs on a kept `RoundImport` (`selfscan.imports.jobs`). The check's names are
re-exported here for callers and tests.
"""

import datetime
from collections import defaultdict
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from selfscan.audit.services import record
from selfscan.core.bulk import copy_rows
from selfscan.results.services import refresh_round_results
from selfscan.rounds.models import Round
from selfscan.scans.models import Answer, Scan, ScanEvent

from .models import RoundImport
from .validation import (
    ALREADY_IMPORTED,
    DUPLICATE_ANSWER,
    DUPLICATE_COLUMN,
    DUPLICATE_SCHOOL,
    FILE,
    HAS_ANSWERS,
    IMPORTABLE_STATUSES,
    MISSING_KEY,
    NOT_APPLICABLE,
    NOT_IN_SCALE,
    NOT_INVITED,
    NVT_NOT_ALLOWED,
    ROUND_STATUS,
    UNKNOWN_SCHOOL,
    UNKNOWN_STATEMENT,
    ImportReport,
    NewAnswer,
    Problem,
    SchoolPlan,
    check_import,
    importable_rounds,
    sha256_of,
)

__all__ = [
    "ALREADY_IMPORTED",
    "DUPLICATE_ANSWER",
    "DUPLICATE_COLUMN",
    "DUPLICATE_SCHOOL",
    "FILE",
    "HAS_ANSWERS",
    "IMPORTABLE_STATUSES",
    "MISSING_KEY",
    "NOT_APPLICABLE",
    "NOT_INVITED",
    "NOT_IN_SCALE",
    "NVT_NOT_ALLOWED",
    "ROUND_STATUS",
    "UNKNOWN_SCHOOL",
    "UNKNOWN_STATEMENT",
    "ImportRefused",
    "ImportReport",
    "Problem",
    "SchoolPlan",
    "apply_import",
    "apply_to_locked_round",
    "check_import",
    "importable_rounds",
    "sha256_of",
]


class ImportRefused(Exception):
    """Raised by `apply_import` when the file has problems; nothing was written."""

    def __init__(self, report: "ImportReport") -> None:
        super().__init__(_("De import is geweigerd: het bestand bevat fouten."))
        self.report = report


# --- applying -------------------------------------------------------------------------------


def apply_import(
    *,
    round: Round,
    content: bytes,
    file_name: str,
    by: Any,
    layout: str | None = None,
    checked: RoundImport | None = None,
) -> ImportReport:
    """Check the file again and, only when it has no problem, store it in one transaction.

    Complete scans become submitted and imported; incomplete ones stay `bezig` (not
    submitted). Every imported scan gets a ScanEvent `geimporteerd`; the round gets an audit
    entry. `checked` is the staff page's kept upload that becomes the applied record (without it
    a new record is made). Raises ImportRefused (nothing written) when the file has any problem.
    """
    with transaction.atomic():
        # One import per round at a time: the second waits and then sees the first's answers.
        locked = Round.objects.select_for_update().get(pk=round.pk)
        return apply_to_locked_round(
            round=locked,
            content=content,
            file_name=file_name,
            by=by,
            layout=layout,
            checked=checked,
        )


def apply_to_locked_round(
    *,
    round: Round,
    content: bytes,
    file_name: str,
    by: Any,
    layout: str | None = None,
    checked: RoundImport | None = None,
) -> ImportReport:
    """`apply_import` for a caller that already holds the round's row lock inside its
    transaction (the background job also locks its RoundImport). Raises ImportRefused."""
    report = check_import(round=round, content=content, file_name=file_name, layout=layout)
    if not report.ok:
        raise ImportRefused(report)
    _write(report, content=content, by=by, layout=layout or "", checked=checked)
    report.applied = True
    return report


def _write(
    report: ImportReport, *, content: bytes, by: Any, layout: str, checked: RoundImport | None
) -> None:
    now = timezone.now()
    user = by if getattr(by, "pk", None) else None
    imported_from = f"{report.file_name[:180]} sha256:{report.sha256}"
    plans = report.schools_to_import
    scan_ids = {plan.scan_id for plan in plans}
    _store_answers([a for a in report.answers if a.scan_id in scan_ids], user=user, now=now)
    complete = [plan.scan_id for plan in plans if plan.complete]
    incomplete = [plan.scan_id for plan in plans if not plan.complete]
    common = {"imported_at": now, "imported_by": user, "imported_from": imported_from}
    # The scans' own moments are those of the earlier round, never the moment of the import.
    by_moment: dict[tuple[datetime.datetime, bool], list[Any]] = defaultdict(list)
    for plan in plans:
        moment = submission_moment(plan.submitted_on or report.round.closes_on)
        by_moment[(moment, plan.complete)].append(plan.scan_id)
    for (moment, is_complete), scan_ids_at in sorted(by_moment.items()):
        for chunk in _chunks(scan_ids_at):
            Scan.objects.filter(pk__in=chunk).update(
                status=Scan.Status.SUBMITTED if is_complete else Scan.Status.IN_PROGRESS,
                submitted_at=moment if is_complete else None,
                started_at=moment,
                last_activity_at=moment,
                **common,
            )
    reason = _("Geïmporteerd uit %(file)s") % {"file": report.file_name}
    ScanEvent.objects.bulk_create(
        [
            ScanEvent(scan_id=scan_id, kind=ScanEvent.Kind.IMPORTED, reason=reason, by=user)
            for scan_id in sorted(s for s in scan_ids if s is not None)
        ],
        batch_size=2000,
    )
    import_record = checked or RoundImport(
        round=report.round,
        file_name=report.file_name[:255],
        sha256=report.sha256,
        size=report.size,
        layout=layout,
        content=content,
        uploaded_by=user,
    )
    import_record.status = RoundImport.Status.APPLIED
    import_record.applied_at = now
    import_record.applied_by = user
    import_record.schools_count = len(plans)
    import_record.complete_count = len(complete)
    import_record.answers_count = report.answer_count
    import_record.progress = 100
    import_record.updated_at = now
    if checked is None:
        import_record.save()
    else:  # the kept upload: its bytes are not written again
        import_record.save(
            update_fields=[
                "status",
                "applied_at",
                "applied_by",
                "schools_count",
                "complete_count",
                "answers_count",
                "progress",
                "updated_at",
            ]
        )
    report.record = import_record
    refresh_round_results(report.round.pk)
    record(
        actor=by,
        action="import_round",
        obj=report.round,
        changes={
            "bestand": report.file_name,
            "sha256": report.sha256,
            "indeling": report.layout,
            "scholen": len(plans),
            "volledig_ingediend": len(complete),
            "onvolledig": len(incomplete),
            "antwoorden": report.answer_count,
        },
    )


def submission_moment(day: datetime.date) -> datetime.datetime:
    """When an imported scan counts as submitted: noon of `day` (the file's submission date or
    the round's closing date) in the site's time zone, so the day reads the same everywhere."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


def _store_answers(answers: list[NewAnswer], *, user: Any, now: Any) -> None:
    """Insert the answers; a scan opened but never filled in may hold empty answer rows, which
    are filled in rather than duplicated (unique scan × statement)."""
    if connection.vendor == "postgresql":
        _copy_answers(answers, user=user, now=now)
        return
    Answer.objects.bulk_create(
        [
            Answer(
                scan_id=answer.scan_id,
                statement_id=answer.statement_id,
                value=answer.value,
                comment=answer.comment,
                nvt_explanation=answer.nvt_explanation,
                updated_by=user,
            )
            for answer in answers
        ],
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["scan", "statement"],
        update_fields=["value", "comment", "nvt_explanation", "updated_by", "updated_at"],
    )


ANSWER_COLUMNS = [
    "scan_id",
    "statement_id",
    "value",
    "comment",
    "nvt_explanation",
    "version",
    "updated_at",
    "updated_by_id",
]


def _copy_answers(answers: list[NewAnswer], *, user: Any, now: Any) -> None:
    """PostgreSQL: COPY. bulk_create spends ~0.1 ms per row building model instances and SQL;
    COPY is an order of magnitude faster for the hundreds of thousands of answers of a whole
    city (docs/decisions/0060-import-round.md). Empty answer rows of opened scans are filled in
    through a temporary table and one INSERT … ON CONFLICT; without them COPY goes straight into
    the table."""
    table = Answer._meta.db_table
    user_id = user.pk if user is not None else None
    scan_ids = {answer.scan_id for answer in answers}
    existing = any(
        Answer.objects.filter(scan_id__in=chunk).exists() for chunk in _chunks(sorted(scan_ids))
    )
    rows = (
        (a.scan_id, a.statement_id, a.value, a.comment, a.nvt_explanation, 0, now, user_id)
        for a in answers
    )
    if not existing:
        copy_rows(table, ANSWER_COLUMNS, rows)
        return
    columns = ", ".join(ANSWER_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE import_answer (scan_id bigint, statement_id bigint,"
            " value varchar(10), comment text, nvt_explanation text, version integer,"
            " updated_at timestamptz, updated_by_id bigint) ON COMMIT DROP"
        )
        copy_rows("import_answer", ANSWER_COLUMNS, rows)
        cursor.execute(
            f"INSERT INTO {connection.ops.quote_name(table)} ({columns})"  # noqa: S608
            f" SELECT {columns} FROM import_answer"
            " ON CONFLICT (scan_id, statement_id) DO UPDATE SET value = EXCLUDED.value,"
            " comment = EXCLUDED.comment, nvt_explanation = EXCLUDED.nvt_explanation,"
            " updated_at = EXCLUDED.updated_at, updated_by_id = EXCLUDED.updated_by_id"
        )
        cursor.execute("DROP TABLE import_answer")


def _chunks(ids: list[Any], size: int = 900) -> list[list[Any]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]
