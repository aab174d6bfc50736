"""The import page's jobs through a real Celery worker over Redis: the upload's dry run and the
confirmed import are enqueued after commit, travel as JSON and run in another thread with its
own database connection; the page shows each state."""

import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.test import Client
from django.urls import reverse

from selfscan.celery import app
from selfscan.imports import jobs, tasks
from selfscan.imports.models import RoundImport
from tests.exports.conftest import forget_backend
from tests.factories import UserFactory
from tests.imports.conftest import expected, make_setup, sample_answers, stored, wide_rows
from tests.imports.factories import csv_bytes

REDIS_URL = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/15"

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def forget_broker_connections() -> None:
    """Celery keeps its producer pool for the broker it first met; an eager test earlier in the
    session may have made one for the default broker (none configured), so drop it."""
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def own_queue(name: str) -> Iterator[None]:
    """A worker started with `queues=[name]` narrows the app's shared queue selection to that
    queue; give the selection back afterwards, so that later workers consume the default queue."""
    queues = app.amqp.queues
    selected = queues._consume_from
    try:
        yield
    finally:
        queues._consume_from = selected
        queues.pop(name, None)


@pytest.fixture
def real_worker(monkeypatch):
    """A worker on a queue of its own, so that no other worker on the same broker (another test
    session) takes the import tasks: `delay` sends them to that queue."""
    queue = f"imports-test-{uuid.uuid4().hex}"
    for task in (tasks.check_upload, tasks.apply_upload):
        monkeypatch.setattr(
            task, "delay", lambda *args, task=task: task.apply_async(args, queue=queue)
        )
    saved = {key: app.conf[key] for key in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=REDIS_URL, result_backend=REDIS_URL, task_always_eager=False)
    forget_backend()
    forget_broker_connections()
    try:
        with (
            own_queue(queue),
            start_worker(
                app, pool="solo", perform_ping_check=False, shutdown_timeout=10, queues=[queue]
            ) as worker,
        ):
            yield worker
        # Leave nothing behind on the shared broker: the queue and kombu's bindings for it.
        broker = redis.Redis.from_url(REDIS_URL)
        leftovers = list(broker.scan_iter(f"*{queue}*"))
        if leftovers:
            broker.delete(*leftovers)
    finally:
        app.conf.update(saved)
        forget_backend()
        forget_broker_connections()


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
