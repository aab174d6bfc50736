"""A large export through a real Celery worker over Redis (serialisation, after-commit)."""

import os

import pytest
from celery.contrib.testing.worker import start_worker

from selfscan.celery import app
from selfscan.exports.models import ExportJob
from selfscan.exports.tasks import run_export
from tests.exports.conftest import forget_backend
from tests.results.world import world_round

# The same default as tests/core/test_worker.py: one broker per test session.
REDIS_URL = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/15"

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def real_worker():
    saved = {key: app.conf[key] for key in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=REDIS_URL, result_backend=REDIS_URL, task_always_eager=False)
    forget_backend()
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as w:
            yield w
    finally:
        app.conf.update(saved)
        forget_backend()


def test_export_job_runs_in_a_real_worker(real_worker, world):
    job = ExportJob.objects.create(
        requested_by=world.user("board"),
        round=world_round(world),
        kind="stellingen",
        file_format="csv",
    )
    run_export.delay(job.pk).get(timeout=60)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    assert job.progress == 100
    content = bytes(job.content).decode("utf-8-sig")
    assert "11AA00" in content and "11AB00" in content and "11AC00" not in content
