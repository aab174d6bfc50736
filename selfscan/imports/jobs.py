"""The staff page's import as background jobs (docs/decisions/0061-import-jobs.md).

An upload is kept as a `RoundImport` and its dry run runs as the Celery task
`imports.check_upload` (`start_check` → `run_check`); the page polls the record. A clean file can
be confirmed once (`confirm_import`), which runs the import as the task `imports.apply_upload`
(`run_apply`): it checks the file again against the database inside the transaction that writes.
Tasks take the record's id, are enqueued after commit and may run twice without harm: each step
moves the record on from one status with a conditional UPDATE, so a second run finds nothing to
do. A job never raises: a failure is stored on the record (status `mislukt`) and logged, so that
the page shows it in Dutch also when Celery runs eagerly inside the request. A broker that cannot
be reached, or a job that stopped without a result (the sweeper), also leaves the record
`mislukt`, and its uploader can start that step again (`retry_import`; decision 0170).
"""

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation

from selfscan.audit.services import record as audit
from selfscan.core.jobs import MAX_ATTEMPTS, RETRYABLE_ERRORS, STALLED, UNAVAILABLE
from selfscan.core.tasks import enqueue_on_commit
from selfscan.rounds.models import Round

from . import services
from .models import PENDING_KEPT_FOR, RoundImport
from .validation import ImportReport, check_import, sha256_of

log = logging.getLogger(__name__)

Status = RoundImport.Status
MAX_SCHOOLS_SHOWN = 1000  # rows of the per-school table kept with the outcome

# What `confirm_import` can answer.
QUEUED = "queued"
MISMATCH = "mismatch"
NOT_CHECKED = "not_checked"
EXPIRED = "expired"
BUSY = "busy"
APPLIED = "applied"
# What `retry_import` can answer besides QUEUED and EXPIRED.
NOT_FAILED = "not_failed"


def _by(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None


# --- the dry run ----------------------------------------------------------------------------------


def start_check(
    *, round: Round, content: bytes, file_name: str, by: Any, layout: str = ""
) -> RoundImport:
    """Keep an upload and run its dry run in the background (enqueued after commit).

    Also deletes uploads that were not applied and are older than PENDING_KEPT_FOR."""
    from .tasks import check_upload

    with transaction.atomic():
        delete_stale_imports()
        upload = RoundImport.objects.create(
            round=round,
            status=Status.WAITING,
            file_name=file_name[:255],
            sha256=sha256_of(content),
            size=len(content),
            layout=layout,
            content=content,
            uploaded_by=_by(by),
            language=translation.get_language() or "",
        )
        audit(
            actor=by,
            action="import.uploaded",
            obj=round,
            changes={"import": upload.pk, "bestand": upload.file_name, "sha256": upload.sha256},
        )
        enqueue_on_commit(
            check_upload, upload.pk, on_failure=_unavailable(upload.pk, Status.WAITING)
        )
    return upload


def run_check(import_id: int) -> None:
    """The dry run of a kept upload (task `imports.check_upload`): its outcome is stored on the
    record, which becomes `gecontroleerd` (no problem) or `afgekeurd` (its bytes are dropped).
    Only a record waiting for or inside its dry run is checked, at most MAX_ATTEMPTS times (a
    file that kills its worker is then failed as stopped without a result)."""
    started = RoundImport.objects.filter(
        pk=import_id, status__in=[Status.WAITING, Status.CHECKING], attempts__lt=MAX_ATTEMPTS
    ).update(
        status=Status.CHECKING,
        progress=0,
        attempts=F("attempts") + 1,
        updated_at=timezone.now(),
    )
    upload = RoundImport.objects.select_related("round", "uploaded_by").filter(pk=import_id).first()
    if upload is None:
        return
    if not started:
        if upload.status in (Status.WAITING, Status.CHECKING):
            _fail(upload, None, upload.status, error=STALLED)
        return
    try:
        with translation.override(upload.language or settings.LANGUAGE_CODE):
            report = check_import(
                round=upload.round,
                content=bytes(upload.content),
                file_name=upload.file_name,
                layout=upload.layout or None,
                progress=_progress(import_id, Status.CHECKING),
            )
            summary = summarise(report)
    except Exception as exc:
        log.exception("Dry run of import %s failed", import_id)
        _fail(upload, exc, Status.CHECKING)
        return
    outcome: dict[str, Any] = {"status": Status.CHECKED}
    if not report.ok:
        outcome = {"status": Status.REJECTED, "content": b""}
    finished = RoundImport.objects.filter(pk=import_id, status=Status.CHECKING).update(
        progress=100,
        report=summary,
        updated_at=timezone.now(),
        schools_count=len(report.schools_to_import),
        complete_count=report.complete_count,
        answers_count=report.answer_count,
        **outcome,
    )
    if finished:
        audit(
            actor=upload.uploaded_by,
            action="import.checked",
            obj=upload.round,
            changes={
                "import": import_id,
                "bestand": upload.file_name,
                "fouten": report.problem_count,
                "scholen": len(report.schools_to_import),
                "antwoorden": report.answer_count,
            },
        )


def _progress(import_id: int, status: str) -> Callable[[int], None]:
    """A progress callback that writes the percentage only when it went up (at most 100
    UPDATEs per job), and with it the time of the last sign of life."""
    last = -1

    def store(percent: int) -> None:
        nonlocal last
        if percent > last:
            last = percent
            RoundImport.objects.filter(pk=import_id, status=status).update(
                progress=max(1, min(99, percent)), updated_at=timezone.now()
            )

    return store


def summarise(report: ImportReport, *, at_apply: bool = False) -> dict[str, Any]:
    """What the page shows of a dry run, as JSON: the counts, the kept problems and warnings
    (texts), and the first MAX_SCHOOLS_SHOWN schools."""
    to_import = report.schools_to_import
    return {
        "layout": report.layout,
        "file_format": report.file_format,
        "encoding": report.encoding,
        "problem_count": report.problem_count,
        "problems": [problem.message for problem in report.problems],
        "warning_count": report.warning_count,
        "warnings": list(report.warnings),
        "school_count": len(report.schools),
        "schools": [
            {
                "vestigingscode": plan.vestigingscode,
                "row": plan.row,
                "name": plan.name,
                "sector": plan.sector,
                "applicable": plan.applicable,
                "answered": plan.answered,
                "nvt": plan.nvt,
                "comments": plan.comments,
                "has_problems": plan.has_problems,
            }
            for plan in report.schools[:MAX_SCHOOLS_SHOWN]
        ],
        "to_import": len(to_import),
        "complete": sum(1 for plan in to_import if plan.complete),
        "skipped": report.skipped_count,
        "none_submitted": report.none_submitted,
        "missing_statements": report.missing_statements,
        "answers": report.answer_count,
        "at_apply": at_apply,
    }


# --- confirming and applying ----------------------------------------------------------------------


def confirm_import(upload: RoundImport, *, by: Any, sha256: str) -> str:
    """Confirm a checked upload: it is applied in the background (enqueued after commit).

    Answers QUEUED, or why nothing happens: MISMATCH (the form belongs to another file),
    NOT_CHECKED (its dry run is not finished or found problems), EXPIRED, BUSY (already
    confirmed: it is being applied) or APPLIED. A second confirmation never starts a second
    import: the status moves from `gecontroleerd` to `toepassen` once."""
    from .tasks import apply_upload

    if sha256 != upload.sha256:
        return MISMATCH
    now = timezone.now()
    with transaction.atomic():
        confirmed = RoundImport.objects.filter(
            pk=upload.pk,
            status=Status.CHECKED,
            uploaded_at__gte=now - PENDING_KEPT_FOR,
        ).update(
            status=Status.APPLYING,
            progress=0,
            updated_at=now,
            confirmed_at=now,
            confirmed_by=_by(by),
            attempts=0,
        )
        if confirmed:
            audit(
                actor=by,
                action="import.confirmed",
                obj=upload.round,
                changes={"import": upload.pk, "bestand": upload.file_name, "sha256": sha256},
            )
            enqueue_on_commit(
                apply_upload, upload.pk, on_failure=_unavailable(upload.pk, Status.APPLYING)
            )
            return QUEUED
    upload.refresh_from_db(fields=["status", "uploaded_at"])
    if upload.status == Status.APPLYING:
        return BUSY
    if upload.status == Status.APPLIED:
        return APPLIED
    if upload.is_expired:
        return EXPIRED
    return NOT_CHECKED


def run_apply(import_id: int) -> None:
    """Apply a confirmed upload (task `imports.apply_upload`): check it again and write it in
    one transaction that holds the round's and the record's row locks. A file that now has
    problems is refused (status `afgekeurd`, nothing written). Only a record in `toepassen` is
    applied, so a second run of the task does nothing."""
    upload = (
        RoundImport.objects.defer("content")
        .select_related("round", "confirmed_by")
        .filter(pk=import_id, status=Status.APPLYING)
        .first()
    )
    if upload is None:
        return
    # Counted before the import's own transaction, so that a worker killed inside it still
    # counts: a file that kills its worker is failed after MAX_ATTEMPTS instead of forever.
    started = RoundImport.objects.filter(
        pk=import_id, status=Status.APPLYING, attempts__lt=MAX_ATTEMPTS
    ).update(attempts=F("attempts") + 1, updated_at=timezone.now())
    if not started:
        _fail(upload, None, Status.APPLYING, error=STALLED)
        return
    with translation.override(upload.language or settings.LANGUAGE_CODE):
        _apply(upload)


def _apply(upload: RoundImport) -> None:
    by = upload.confirmed_by
    try:
        with transaction.atomic():
            round = Round.objects.select_for_update().get(pk=upload.round_id)
            locked = (
                RoundImport.objects.select_for_update()
                .filter(pk=upload.pk, status=Status.APPLYING)
                .first()
            )
            if locked is None:
                return  # applied (or refused) by an earlier run of this task
            report = services.apply_to_locked_round(
                round=round,
                content=bytes(locked.content),
                file_name=locked.file_name,
                by=by,
                layout=locked.layout or None,
                checked=locked,
            )
            RoundImport.objects.filter(pk=upload.pk).update(report=summarise(report))
    except services.ImportRefused as refused:
        refused_now = RoundImport.objects.filter(pk=upload.pk, status=Status.APPLYING).update(
            status=Status.REJECTED,
            report=summarise(refused.report, at_apply=True),
            content=b"",
            progress=100,
            updated_at=timezone.now(),
        )
        if refused_now:
            audit(
                actor=by,
                action="import.refused",
                obj=upload.round,
                changes={
                    "import": upload.pk,
                    "bestand": upload.file_name,
                    "fouten": refused.report.problem_count,
                },
            )
    except Exception as exc:
        log.exception("Import %s failed", upload.pk)
        _fail(upload, exc, Status.APPLYING)


def _fail(upload: RoundImport, exc: Exception | None, status: str, *, error: str = "") -> bool:
    """Mark a job that broke off (nothing was written: the import is one transaction), with
    `error` or else the exception's class name. Answers whether this call marked it."""
    error = (error or exc.__class__.__name__)[:200]
    failed = RoundImport.objects.filter(pk=upload.pk, status=status).update(
        status=Status.FAILED, error=error, updated_at=timezone.now()
    )
    if failed:
        audit(
            actor=upload.confirmed_by if status == Status.APPLYING else upload.uploaded_by,
            action="import.failed",
            obj=upload.round,
            changes={"import": upload.pk, "bestand": upload.file_name, "fout": error},
        )
    return bool(failed)


def _unavailable(import_id: int, status: str) -> Callable[[Exception], None]:
    """The `on_failure` of an enqueue: the broker is down, so the step never starts; the
    record is marked failed at once, and its page offers to try again."""

    def mark(exc: Exception) -> None:
        upload = (
            RoundImport.objects.defer("content")
            .select_related("round", "uploaded_by", "confirmed_by")
            .filter(pk=import_id)
            .first()
        )
        if upload is not None:
            _fail(upload, exc, status, error=UNAVAILABLE)

    return mark


def fail_stalled(*, cutoff: datetime, now: datetime) -> int:
    """Mark uploads whose dry run or import shows no sign of life since `cutoff` as failed
    (the sweeper, selfscan/core/sweeper.py). Answers how many were marked."""
    stalled = (
        RoundImport.objects.defer("content")
        .select_related("round", "uploaded_by", "confirmed_by")
        .filter(status__in=[Status.WAITING, Status.CHECKING, Status.APPLYING])
        .filter(updated_at__lt=cutoff)
    )
    return sum(_fail(upload, None, upload.status, error=STALLED) for upload in stalled)


def may_retry(upload: RoundImport) -> bool:
    """A dry run or import that could not start or stopped without a result can be started
    again while the upload is kept (its bytes are still there; nothing was written)."""
    return (
        upload.status == Status.FAILED
        and upload.error in RETRYABLE_ERRORS
        and upload.uploaded_at >= timezone.now() - PENDING_KEPT_FOR
    )


def retry_import(upload: RoundImport, *, by: Any) -> str:
    """Start again the step of `upload` that could not start or stopped without a result: the
    dry run, or the import once it was confirmed. Answers QUEUED, EXPIRED or NOT_FAILED. The
    record moves from `mislukt` once, so a double click starts the step once."""
    from .tasks import apply_upload, check_upload

    now = timezone.now()
    if upload.status == Status.FAILED and upload.uploaded_at < now - PENDING_KEPT_FOR:
        return EXPIRED
    confirmed = upload.confirmed_at is not None
    status = Status.APPLYING if confirmed else Status.WAITING
    with transaction.atomic():
        restarted = RoundImport.objects.filter(
            pk=upload.pk,
            status=Status.FAILED,
            error__in=RETRYABLE_ERRORS,
            uploaded_at__gte=now - PENDING_KEPT_FOR,
        ).update(status=status, progress=0, attempts=0, error="", updated_at=now)
        if not restarted:
            return NOT_FAILED
        audit(
            actor=by,
            action="import.retried",
            obj=upload.round,
            changes={"import": upload.pk, "bestand": upload.file_name},
        )
        task = apply_upload if confirmed else check_upload
        enqueue_on_commit(task, upload.pk, on_failure=_unavailable(upload.pk, status))
    return QUEUED


def delete_stale_imports(*, now: Any = None) -> int:
    """Delete uploads that were never applied (waiting, rejected, checked, failed or stuck) once
    they are older than PENDING_KEPT_FOR; applied ones stay as the history of the round."""
    cutoff = (now or timezone.now()) - PENDING_KEPT_FOR
    deleted, _per_model = (
        RoundImport.objects.exclude(status=Status.APPLIED).filter(uploaded_at__lt=cutoff).delete()
    )
    return deleted
