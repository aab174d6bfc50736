"""The register import's dry run as a background job (docs/decisions/0163-register-dry-run-
as-a-job.md).

With a broker, an uploaded register file is kept as a `RegisterUpload` waiting for its dry run,
which the Celery task `organisations.check_register_upload` runs (`start_check` → `run_check`);
the upload request returns at once and the job page refreshes itself until the report is there.
The report is stored as JSON (`report_of`), so the page shows it without reading the file again.
Without a broker (eager mode, the demo) the dry run stays in the request, as before. As for the
results import (selfscan/imports/jobs.py): tasks take the record's id and move it on with a
conditional UPDATE, a failure is stored on the record, a broker that cannot be reached or a job
that stopped without a result (the sweeper) leaves it `mislukt` and its uploader can try again.
"""

import datetime
import hashlib
import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import formats, timezone

from selfscan.core.jobs import MAX_ATTEMPTS, RETRYABLE_ERRORS, STALLED, UNAVAILABLE
from selfscan.core.tasks import enqueue_on_commit

from . import importer
from .models import RegisterUpload

log = logging.getLogger(__name__)

Status = RegisterUpload.Status


def in_background() -> bool:
    """Whether a broker is configured (Celery is not eager): heavy dry runs then leave the
    request."""
    from selfscan.celery import app

    return not app.conf.task_always_eager


def _shown(value: Any) -> Any:
    """A value of a planned change as the page shows it (JSON: text, number or None)."""
    if value is None or isinstance(value, (str, int)):
        return value
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    return str(value)


def _school(school: Any) -> dict[str, str]:
    return {"vestigingscode": school.vestigingscode, "name": school.name}


def report_of(plan: importer.Plan) -> dict[str, Any]:
    """What the page shows of a dry run, as JSON, with the names the template reads on a Plan."""
    return {
        "filename": plan.filename,
        "errors": [str(error) for error in plan.errors],
        "creates": [
            {"values": {"vestigingscode": c.values["vestigingscode"], "name": c.values["name"]}}
            for c in plan.creates
        ],
        "changes": [
            {
                "school": _school(change.school),
                "changes": {
                    key: [_shown(old), _shown(new)] for key, (old, new) in change.changes.items()
                },
            }
            for change in plan.changes
        ],
        "closes": [_school(school) for school in plan.closes],
        "missing": [_school(school) for school in plan.missing],
        "close_missing": plan.close_missing,
        "new_besturen": dict(plan.new_besturen),
        "unchanged": plan.unchanged,
        "skipped": plan.skipped,
        "rows": plan.rows,
        "close_on": plan.close_on.isoformat() if plan.close_on else None,
        "ok": plan.ok,
        "is_noop": plan.is_noop,
    }


def shown_plan(report: dict[str, Any] | None) -> dict[str, Any] | None:
    """A stored report as the template's `plan` (the closing date as a date again)."""
    if not report:
        return None
    close_on = report.get("close_on")
    return {**report, "close_on": datetime.date.fromisoformat(close_on) if close_on else None}


def start_check(
    *, user: Any, content: bytes, file_name: str, close_missing: bool
) -> RegisterUpload:
    """Keep the file waiting for its dry run, which is enqueued after commit; the user's earlier
    files and every file older than RegisterUpload.KEPT_FOR are deleted."""
    from .tasks import check_register_upload

    with transaction.atomic():
        expired = timezone.now() - RegisterUpload.KEPT_FOR
        RegisterUpload.objects.filter(uploaded_by=user).delete()
        RegisterUpload.objects.filter(uploaded_at__lt=expired).delete()
        upload = RegisterUpload.objects.create(
            uploaded_by=user,
            file_name=file_name[:255],
            sha256=hashlib.sha256(content).hexdigest(),
            close_missing=close_missing,
            content=content,
            status=Status.WAITING,
            applicable=False,
        )
        enqueue_on_commit(check_register_upload, upload.pk, on_failure=_unavailable(upload.pk))
    return upload


def run_check(upload_id: int) -> None:
    """The dry run of a kept file (task `organisations.check_register_upload`): the report is
    stored and the record becomes `klaar`; a file with errors or nothing to do loses its bytes.
    A record is checked at most MAX_ATTEMPTS times (a file that kills its worker is then failed
    as stopped without a result)."""
    started = RegisterUpload.objects.filter(
        pk=upload_id, status__in=[Status.WAITING, Status.RUNNING], attempts__lt=MAX_ATTEMPTS
    ).update(status=Status.RUNNING, attempts=F("attempts") + 1, updated_at=timezone.now())
    upload = RegisterUpload.objects.filter(pk=upload_id).first()
    if upload is None:
        return
    if not started:
        if upload.is_running:
            _fail(upload_id, upload.status, STALLED)
        return
    try:
        plan = importer.plan_import(
            bytes(upload.content), upload.file_name, close_missing=upload.close_missing
        )
        report = report_of(plan)
    except Exception as exc:
        log.exception("Dry run of register upload %s failed", upload_id)
        _fail(upload_id, Status.RUNNING, exc.__class__.__name__)
        return
    applicable = plan.ok and not plan.is_noop
    outcome: dict[str, Any] = {} if applicable else {"content": b""}
    RegisterUpload.objects.filter(pk=upload_id, status=Status.RUNNING).update(
        status=Status.DONE,
        report=report,
        applicable=applicable,
        updated_at=timezone.now(),
        **outcome,
    )


def _fail(upload_id: int, status: str, error: str) -> bool:
    """Mark a dry run that broke off or never started; answers whether this call marked it."""
    return bool(
        RegisterUpload.objects.filter(pk=upload_id, status=status).update(
            status=Status.FAILED, error=error[:200], updated_at=timezone.now()
        )
    )


def _unavailable(upload_id: int) -> Callable[[Exception], None]:
    """The `on_failure` of the enqueue: the broker is down, so the dry run never starts."""

    def mark(exc: Exception) -> None:
        _fail(upload_id, Status.WAITING, UNAVAILABLE)

    return mark


def fail_stalled(*, cutoff: datetime.datetime, now: datetime.datetime) -> int:
    """Mark dry runs without a sign of life since `cutoff` as failed (the sweeper)."""
    return RegisterUpload.objects.filter(
        status__in=[Status.WAITING, Status.RUNNING], updated_at__lt=cutoff
    ).update(status=Status.FAILED, error=STALLED, updated_at=now)


def is_expired(upload: RegisterUpload) -> bool:
    return upload.uploaded_at < timezone.now() - RegisterUpload.KEPT_FOR


def may_retry(upload: RegisterUpload) -> bool:
    """A dry run that could not start or stopped without a result can be started again while
    the file is kept."""
    return (
        upload.status == Status.FAILED
        and upload.error in RETRYABLE_ERRORS
        and not is_expired(upload)
    )


def retry_check(upload: RegisterUpload) -> bool:
    """Start the dry run of `upload` again; answers whether it was (re)queued."""
    from .tasks import check_register_upload

    if not may_retry(upload):
        return False
    with transaction.atomic():
        moved = RegisterUpload.objects.filter(
            pk=upload.pk, status=Status.FAILED, error__in=RETRYABLE_ERRORS
        ).update(status=Status.WAITING, attempts=0, error="", updated_at=timezone.now())
        if moved:
            enqueue_on_commit(check_register_upload, upload.pk, on_failure=_unavailable(upload.pk))
    return bool(moved)
