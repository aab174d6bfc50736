"""The register import's dry run through a real Celery worker over Redis (decision 0163): the
upload request redirects at once, the job travels as JSON and runs in another thread with its
own database connection, and the page then shows the report and the confirm form."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from selfscan.organisations import tasks
from selfscan.organisations.models import RegisterUpload, School
from tests.celery_worker import private_queue
from tests.celery_worker import real_worker as worker_on_redis
from tests.organisations.duo import Row, duo_file

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def real_worker(monkeypatch):
    """A worker on a queue of its own: `delay` sends the dry run to that queue."""
    queue = private_queue("register-test")
    task = tasks.check_register_upload
    monkeypatch.setattr(task, "delay", lambda *args: task.apply_async(args, queue=queue))
    with worker_on_redis(queue) as worker:
        yield worker


def wait_for_job(upload: RegisterUpload) -> RegisterUpload:
    """The record once its job has finished (a minute at most: then the test fails on status)."""
    for _ in range(600):
        upload.refresh_from_db()
        if not upload.is_running:
            break
        time.sleep(0.1)
    return upload


def test_the_register_dry_run_runs_in_a_real_worker(real_worker, client, world):
    client.force_login(world.user("staff"))
    new = Row(bestuur="41002", code="70AQ00", name="Nieuwkomer")
    response = client.post(
        reverse("organisations:import"),
        {"file": SimpleUploadedFile("duo.csv", duo_file([new])), "close_missing": ""},
    )
    upload = RegisterUpload.objects.get()
    assert response["Location"] == reverse("organisations:import_job", args=[upload.pk])
    assert wait_for_job(upload).status == RegisterUpload.Status.DONE
    response = client.get(response["Location"])
    html = response.content.decode()
    assert "Nieuwkomer" in html and "Wijzigingen doorvoeren" in html
    digest = response.context["apply_form"].initial["digest"]
    client.post(reverse("organisations:import_apply"), {"digest": digest})
    assert School.objects.filter(vestigingscode="70AQ00").exists()
