"""Old export jobs (files in the database, decision 0042) are deleted by a daily beat task."""

import subprocess
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import dateformat, timezone

from selfscan.celery import app
from selfscan.exports import services, tasks
from selfscan.exports.models import ExportJob
from tests.factories import make_norm_version
from tests.processes import run_project
from tests.scans.factories import make_round

pytestmark = pytest.mark.django_db

NOW = timezone.now()
Status = ExportJob.Status


@pytest.fixture
def make_job(world):
    round_ = make_round(version=make_norm_version(key="export"), schools=[world.school_a1])

    def make(status: str, age: timedelta, finished: bool = True) -> ExportJob:
        job = ExportJob.objects.create(
            requested_by=world.user("staff"),
            round=round_,
            kind="stellingen",
            file_format="csv",
            status=status,
            content=b"x" * 1000,
        )
        # auto_now_add cannot be set on create; the age is given afterwards.
        ExportJob.objects.filter(pk=job.pk).update(
            created_at=NOW - age - timedelta(minutes=5),
            finished_at=NOW - age if finished else None,
        )
        return job

    return make


@pytest.fixture
def jobs(make_job):
    return {
        "done_old": make_job(Status.DONE, timedelta(days=8)),
        "done_recent": make_job(Status.DONE, timedelta(days=6)),
        "failed_old": make_job(Status.FAILED, timedelta(days=2)),
        "failed_recent": make_job(Status.FAILED, timedelta(hours=2)),
        "pending_stuck": make_job(Status.PENDING, timedelta(days=2), finished=False),
        "running_stuck": make_job(Status.RUNNING, timedelta(days=3), finished=False),
        "running_now": make_job(Status.RUNNING, timedelta(minutes=10), finished=False),
    }


def _left(jobs) -> set[str]:
    kept = set(ExportJob.objects.values_list("pk", flat=True))
    return {name for name, job in jobs.items() if job.pk in kept}


def test_old_finished_failed_and_stuck_jobs_are_deleted(jobs):
    result = services.delete_old_jobs(now=NOW)
    assert (result.done, result.failed, result.stuck) == (1, 1, 2)
    assert _left(jobs) == {"done_recent", "failed_recent", "running_now"}


def test_retention_follows_the_setting(jobs, settings):
    settings.EXPORT_RETENTION_DAYS = 5
    services.delete_old_jobs(now=NOW)
    assert "done_recent" not in _left(jobs)
    assert "running_now" in _left(jobs)


def test_a_second_run_deletes_nothing_more(jobs):
    services.delete_old_jobs(now=NOW)
    assert services.delete_old_jobs(now=NOW).total == 0
    assert len(_left(jobs)) == 3


def test_deleting_never_reads_the_files(jobs):
    with CaptureQueriesContext(connection) as queries:
        services.delete_old_jobs(now=NOW)
    selects = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().startswith("SELECT")]
    assert not any('"content"' in sql for sql in selects), selects


def test_the_beat_schedule_runs_the_task_daily(jobs):
    entry = settings.CELERY_BEAT_SCHEDULE["exports-delete-old-jobs"]
    assert entry["task"] == "exports.delete_old_jobs"
    assert entry["task"] in app.tasks
    assert entry["schedule"].remaining_estimate(NOW) <= timedelta(days=1)
    # apply(): the task runs in-process, as the worker would, with or without a broker (CI runs
    # this suite once with a Redis broker and no worker: delay() would wait forever there).
    assert tasks.delete_old_jobs.apply().get() == {"done": 1, "failed": 1, "stuck": 2}
    assert len(_left(jobs)) == 3


def test_a_job_deleted_before_its_worker_starts_is_skipped(jobs):
    stuck = jobs["pending_stuck"]
    services.delete_old_jobs(now=NOW)
    services.run_job(stuck.pk)  # no error: nothing to build
    assert not ExportJob.objects.filter(pk=stuck.pk).exists()


def test_command_deletes_and_reports(jobs, capsys):
    call_command("delete_old_exports")
    assert "Verwijderd: 1 klare, 1 mislukte en 2 vastgelopen exports." in capsys.readouterr().out
    assert len(_left(jobs)) == 3


def test_command_dry_run_and_days(jobs, capsys):
    call_command("delete_old_exports", "--days", "3", "--dry-run")
    assert "Proefrun: 2 klare, 1 mislukte en 2 vastgelopen exports" in capsys.readouterr().out
    assert len(_left(jobs)) == 7
    call_command("delete_old_exports", "--days", "30")
    assert _left(jobs) == {"done_old", "done_recent", "failed_recent", "running_now"}


def test_command_refuses_days_below_one(jobs):
    with pytest.raises(CommandError, match=r"--days moet 1 of meer zijn\."):
        call_command("delete_old_exports", "--days", "0")
    assert len(_left(jobs)) == 7


def _settings_value(**env: str) -> subprocess.CompletedProcess[str]:
    code = "from django.conf import settings; print(settings.EXPORT_RETENTION_DAYS)"
    return run_project(
        "-c",
        code,
        strip=("DJANGO_", "EXPORT_"),
        DJANGO_SETTINGS_MODULE="selfscan.settings",
        **env,
    )


def test_retention_is_read_from_the_environment():
    assert _settings_value().stdout.strip() == "7"
    assert _settings_value(EXPORT_RETENTION_DAYS="30").stdout.strip() == "30"
    refused = _settings_value(EXPORT_RETENTION_DAYS="0")
    assert refused.returncode == 1
    assert "EXPORT_RETENTION_DAYS must be 1 or more" in refused.stderr


def test_job_page_says_until_when_the_file_is_kept(client, world, jobs):
    client.force_login(world.user("staff"))
    job = jobs["done_recent"]
    job.refresh_from_db()
    until = timezone.localtime(job.finished_at + timedelta(days=7)).date()
    page = client.get(reverse("exports:job", args=[job.pk])).content.decode()
    assert f"Het bestand blijft beschikbaar tot {dateformat.format(until, 'j F Y')};" in page
