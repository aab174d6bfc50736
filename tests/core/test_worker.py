"""A real Celery worker over Redis runs a task: serialisation and the broker are exercised."""

import uuid

import pytest

from selfscan.core.tasks import probe
from tests.celery_worker import real_worker as worker_on_redis

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def real_worker():
    with worker_on_redis() as worker:
        yield worker


def test_task_runs_in_a_real_worker(real_worker):
    token = uuid.uuid4().hex
    result = probe.delay(token).get(timeout=30)
    assert result["token"] == token
    assert result["database"] is True
    assert result["eager"] is False
