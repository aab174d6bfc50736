"""A large export through a real Celery worker over Redis (serialisation, after-commit)."""

import pytest

from selfscan.exports.models import ExportJob
from selfscan.exports.tasks import run_export
from tests.celery_worker import real_worker as worker_on_redis
from tests.results.world import world_round

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def real_worker():
    with worker_on_redis() as worker:
        yield worker


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
