"""The import page's jobs through a real Celery worker over Redis: the upload's dry run and the
confirmed import are enqueued after commit, travel as JSON and run in another thread with its
own database connection; the page shows each state."""

import time

import pytest
from django.test import Client
from django.urls import reverse

from selfscan.imports import jobs, tasks
from selfscan.imports.models import RoundImport
from tests.celery_worker import private_queue
from tests.celery_worker import real_worker as worker_on_redis
from tests.factories import UserFactory
from tests.imports.conftest import expected, make_setup, sample_answers, stored, wide_rows
from tests.imports.factories import csv_bytes

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def real_worker(monkeypatch):
    """A worker on a queue of its own, so that no other worker on the same broker (another test
    session) takes the import tasks: `delay` sends them to that queue."""
    queue = private_queue("imports-test")
    for task in (tasks.check_upload, tasks.apply_upload):
        monkeypatch.setattr(
            task, "delay", lambda *args, task=task: task.apply_async(args, queue=queue)
        )
    with worker_on_redis(queue) as worker:
        yield worker


def wait_for_job(record: RoundImport) -> RoundImport:
    """The record once its job has finished (a minute at most: then the test fails on status)."""
    for _ in range(600):
        record.refresh_from_db()
        if not record.is_running:
            break
        time.sleep(0.1)
    return record


def test_dry_run_and_import_run_in_a_real_worker(real_worker):
    setup = make_setup()
    staff = UserFactory(role="staff")
    client = Client()
    client.force_login(staff)
    answers = sample_answers(setup)
    record = jobs.start_check(
        round=setup.round,
        content=csv_bytes(wide_rows(setup, answers)),
        file_name="0-meting.csv",
        by=staff,
    )
    assert wait_for_job(record).status == RoundImport.Status.CHECKED
    assert record.report["to_import"] == 4 and record.progress == 100
    html = client.get(reverse("imports:detail", args=[record.pk])).content.decode()
    assert "Geen fouten." in html and "Bevestigen en importeren" in html

    response = client.post(reverse("imports:apply", args=[record.pk]), {"sha256": record.sha256})
    assert response.status_code == 302
    assert wait_for_job(record).status == RoundImport.Status.APPLIED
    assert stored(setup.round) == expected(answers)
    html = client.get(reverse("imports:detail", args=[record.pk])).content.decode()
    assert "Geïmporteerd: 4 scholen (3 volledig en ingediend)" in html
