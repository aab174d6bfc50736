"""A real Celery worker over Redis runs a task: serialisation and the broker are exercised."""

import os
import uuid

import pytest
from celery.contrib.testing.worker import start_worker

from selfscan.celery import app
from selfscan.core.tasks import probe

REDIS_URL = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/15"

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def real_worker():
    saved = {key: app.conf[key] for key in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=REDIS_URL, result_backend=REDIS_URL, task_always_eager=False)
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, shutdown_timeout=10
        ) as worker:
            yield worker
    finally:
        app.conf.update(saved)


def test_task_runs_in_a_real_worker(real_worker):
    token = uuid.uuid4().hex
    result = probe.delay(token).get(timeout=30)
    assert result["token"] == token
    assert result["database"] is True
    assert result["eager"] is False
