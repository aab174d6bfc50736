"""The sweeper: export jobs and import uploads without a sign of life past the time limit are
marked failed, their pages stop refreshing and offer to try again; a late task for a swept job
does nothing (tests/core/test_worker_killed.py kills a real worker mid-export)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from selfscan.audit.models import AuditEvent
from selfscan.core.jobs import MAX_ATTEMPTS, STALLED
from selfscan.core.sweeper import sweep
from selfscan.core.tasks import sweep_stalled_jobs
from selfscan.exports import services as export_services
from selfscan.exports.models import ExportJob
from selfscan.imports import jobs as import_jobs
from selfscan.imports.models import RoundImport
from tests.factories import UserFactory
from tests.imports.conftest import make_setup, sample_answers, wide_rows
from tests.imports.factories import csv_bytes
from tests.results.world import world_round

pytestmark = pytest.mark.django_db

STOPPED = "De achtergrondtaak is gestopt zonder resultaat"
LATER = timedelta(minutes=31)  # past the default limit of 30 minutes


def export_job(world, **fields):
    return ExportJob.objects.create(
        requested_by=world.user("board"),
        round=world_round(world),
        kind="stellingen",
        file_format="csv",
        **fields,
    )


def test_a_running_export_without_progress_is_failed_and_can_be_tried_again(
    client, world, django_capture_on_commit_callbacks
):
    job = export_job(world, status=ExportJob.Status.RUNNING, progress=1)
    client.force_login(world.user("board"))
    page = client.get(reverse("exports:job", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' in page and STOPPED not in page

    assert sweep().exports == 0  # within the limit: left alone
    assert sweep(now=timezone.now() + LATER).exports == 1
    job.refresh_from_db()
    assert (job.status, job.error) == (ExportJob.Status.FAILED, STALLED)
    page = client.get(reverse("exports:job", args=[job.pk])).content.decode()
    assert STOPPED in page and "Opnieuw proberen" in page
    assert 'http-equiv="refresh"' not in page

    export_services.run_job(job.pk)  # the lost task delivered late: does nothing
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("exports:job_retry", args=[job.pk]))
    job.refresh_from_db()
    assert (job.status, job.progress, job.error) == (ExportJob.Status.DONE, 100, "")


def test_progress_keeps_a_job_alive_and_finished_jobs_are_left_alone(world):
    waiting = export_job(world)
    done = export_job(world, status=ExportJob.Status.DONE)
    failed = export_job(world, status=ExportJob.Status.FAILED, error="ValueError")
    ExportJob.objects.update(updated_at=timezone.now() - LATER)
    export_services.run_job(waiting.pk)  # a sign of life at every step
    assert sweep().exports == 0
    assert ExportJob.objects.get(pk=done.pk).status == ExportJob.Status.DONE
    assert ExportJob.objects.get(pk=failed.pk).error == "ValueError"


def test_stalled_dry_run_and_import_are_failed_with_an_audit_line(client):
    setup = make_setup()
    staff = UserFactory(role="staff")
    content = csv_bytes(wide_rows(setup, sample_answers(setup)))
    waiting = import_jobs.start_check(
        round=setup.round, content=content, file_name="a.csv", by=staff
    )
    applying = import_jobs.start_check(
        round=setup.round, content=content, file_name="b.csv", by=staff
    )
    import_jobs.run_check(applying.pk)
    assert import_jobs.confirm_import(applying, by=staff, sha256=applying.sha256) == "queued"

    assert sweep(now=timezone.now() + LATER).imports == 2
    for record in (waiting, applying):
        record.refresh_from_db()
        assert (record.status, record.error) == (RoundImport.Status.FAILED, STALLED)
    assert AuditEvent.objects.filter(action="import.failed").count() == 2
    assert sweep(now=timezone.now() + LATER).imports == 0  # idempotent

    client.force_login(staff)
    page = client.get(reverse("imports:detail", args=[applying.pk])).content.decode()
    assert STOPPED in page and "Opnieuw proberen" in page
    import_jobs.run_apply(applying.pk)  # the lost task delivered late: does nothing
    assert RoundImport.objects.get(pk=applying.pk).status == RoundImport.Status.FAILED
    assert import_jobs.retry_import(applying, by=staff) == import_jobs.QUEUED
    assert RoundImport.objects.get(pk=applying.pk).status == RoundImport.Status.APPLYING


def test_command_and_beat_task(world, settings):
    job = export_job(world, status=ExportJob.Status.RUNNING)
    ExportJob.objects.update(updated_at=timezone.now() - timedelta(minutes=10))
    out = StringIO()
    call_command("sweep_stalled_jobs", stdout=out)
    assert "0 exports" in out.getvalue()
    call_command("sweep_stalled_jobs", "--minutes", "5", stdout=out)
    assert "1 exports" in out.getvalue()
    assert ExportJob.objects.get(pk=job.pk).error == STALLED
    with pytest.raises(CommandError):
        call_command("sweep_stalled_jobs", "--minutes", "0")

    ExportJob.objects.update(
        status=ExportJob.Status.PENDING, error="", updated_at=timezone.now() - timedelta(minutes=10)
    )
    settings.JOB_STALLED_AFTER_MINUTES = 5
    assert sweep_stalled_jobs.apply().get() == {"exports": 1, "imports": 0, "registers": 0}
    assert "core-sweep-stalled-jobs" in settings.CELERY_BEAT_SCHEDULE


def test_a_job_that_keeps_killing_its_worker_is_failed_instead_of_started_forever(
    world, django_capture_on_commit_callbacks
):
    # Each delivery counts; a job handed back MAX_ATTEMPTS times (its worker died each time,
    # say out of memory) is failed on the next, and "Opnieuw proberen" counts from zero again.
    job = export_job(world, status=ExportJob.Status.RUNNING, attempts=MAX_ATTEMPTS)
    export_services.run_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.error) == (ExportJob.Status.FAILED, STALLED)
    with django_capture_on_commit_callbacks(execute=True):
        assert export_services.retry_export(job)
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ExportJob.Status.DONE, 1)


def test_an_upload_that_keeps_killing_its_worker_is_failed_instead_of_checked_forever():
    setup = make_setup()
    staff = UserFactory(role="staff")
    content = csv_bytes(wide_rows(setup, sample_answers(setup)))
    record = import_jobs.start_check(round=setup.round, content=content, file_name="a", by=staff)
    RoundImport.objects.filter(pk=record.pk).update(
        status=RoundImport.Status.CHECKING, attempts=MAX_ATTEMPTS
    )
    import_jobs.run_check(record.pk)
    record.refresh_from_db()
    assert (record.status, record.error) == (RoundImport.Status.FAILED, STALLED)
    assert import_jobs.retry_import(record, by=staff) == import_jobs.QUEUED
    import_jobs.run_check(record.pk)
    record.refresh_from_db()
    assert (record.status, record.attempts) == (RoundImport.Status.CHECKED, 1)

    assert import_jobs.confirm_import(record, by=staff, sha256=record.sha256) == "queued"
    RoundImport.objects.filter(pk=record.pk).update(attempts=MAX_ATTEMPTS)
    import_jobs.run_apply(record.pk)
    record.refresh_from_db()
    assert (record.status, record.error) == (RoundImport.Status.FAILED, STALLED)
    assert import_jobs.retry_import(record, by=staff) == import_jobs.QUEUED
    import_jobs.run_apply(record.pk)
    assert RoundImport.objects.get(pk=record.pk).status == RoundImport.Status.APPLIED
