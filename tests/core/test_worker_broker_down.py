"""A real Redis that the test stops and starts again: jobs started while it is down fail at once
with a clear message (no bare 500, nothing left `wachtend`, no audit line for reminders that
were not sent), and "Opnieuw proberen" succeeds through a real worker once it is back
(docs/decisions/0170-enqueue-and-sweeper.md)."""

import time

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from selfscan.audit.models import AuditEvent
from selfscan.core.jobs import UNAVAILABLE
from selfscan.exports import services as export_services
from selfscan.exports.models import ExportJob
from selfscan.imports.models import RoundImport
from tests.celery_worker import OwnRedis, app_on, real_worker
from tests.factories import UserFactory, make_norm_version
from tests.imports.conftest import make_setup, sample_answers, wide_rows
from tests.imports.factories import csv_bytes
from tests.results.world import world_round
from tests.scans.factories import make_round

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

UNREACHABLE = "De achtergronddienst is nu niet bereikbaar"


@pytest.fixture
def own_redis(tmp_path):
    server = OwnRedis(tmp_path)
    try:
        yield server
    finally:
        server.stop()


def finished(record):
    """The record once its job has stopped running (up to five minutes on a busy machine;
    the test then fails on the status)."""
    for _ in range(3000):
        record.refresh_from_db()
        if not record.is_running:
            break
        time.sleep(0.1)
    return record


def page(client, name, pk):
    return client.get(reverse(name, args=[pk])).content.decode()


def test_jobs_started_while_the_broker_is_down_succeed_when_tried_again(
    own_redis, world, monkeypatch
):
    monkeypatch.setattr(export_services, "ASYNC_ROWS", 0)  # every export is a background job
    staff = UserFactory(role="staff")
    staff_client, board_client = Client(), Client()
    staff_client.force_login(staff)
    board_client.force_login(world.user("board"))
    setup = make_setup()
    content = csv_bytes(wide_rows(setup, sample_answers(setup)))
    export_round = world_round(world)
    reminder_round = make_round(
        version=make_norm_version(key="herinnering", themes=1, statements_per_theme=2),
        schools=[world.school_a1],
    )

    with app_on(own_redis.url):
        # The broker is down (never started): every request answers, every record is failed.
        response = staff_client.post(
            reverse("imports:start"),
            {"round": setup.round.pk, "file": SimpleUploadedFile("0-meting.csv", content)},
        )
        assert response.status_code == 302
        upload = RoundImport.objects.get()
        assert (upload.status, upload.error) == (RoundImport.Status.FAILED, UNAVAILABLE)
        assert UNREACHABLE in page(staff_client, "imports:detail", upload.pk)

        response = board_client.post(
            reverse("exports:index"),
            {"round": export_round.pk, "kind": "stellingen", "file_format": "csv"},
        )
        assert response.status_code == 302
        job = ExportJob.objects.get()
        assert (job.status, job.error) == (ExportJob.Status.FAILED, UNAVAILABLE)
        assert UNREACHABLE in page(board_client, "exports:job", job.pk)

        response = staff_client.post(
            reverse("rounds:remind", kwargs={"pk": reminder_round.pk}), follow=True
        )
        assert response.status_code == 200 and UNREACHABLE in response.content.decode()
        assert not AuditEvent.objects.filter(action__startswith="round.reminders").exists()

        # The broker is back: "Opnieuw proberen" on each page, and a real worker runs the jobs.
        own_redis.start()
        with real_worker(url=own_redis.url):
            assert "Opnieuw proberen" in page(staff_client, "imports:detail", upload.pk)
            staff_client.post(reverse("imports:retry", args=[upload.pk]))
            assert finished(upload).status == RoundImport.Status.CHECKED

            board_client.post(reverse("exports:job_retry", args=[job.pk]))
            assert finished(job).status == ExportJob.Status.DONE
            assert "De export is klaar." in page(board_client, "exports:job", job.pk)

            staff_client.post(reverse("rounds:remind", kwargs={"pk": reminder_round.pk}))
            for _ in range(3000):
                if mail.outbox:
                    break
                time.sleep(0.1)
            assert [message.to for message in mail.outbox] == [["school@example.org"]]
            assert AuditEvent.objects.filter(action="round.reminders_requested").count() == 1

        # Down again while the import is confirmed; back again, and it is applied.
        own_redis.stop()
        response = staff_client.post(
            reverse("imports:apply", args=[upload.pk]), {"sha256": upload.sha256}
        )
        assert response.status_code == 302
        upload.refresh_from_db()
        assert (upload.status, upload.error) == (RoundImport.Status.FAILED, UNAVAILABLE)
        assert UNREACHABLE in page(staff_client, "imports:detail", upload.pk)

        own_redis.start()
        with real_worker(url=own_redis.url):
            staff_client.post(reverse("imports:retry", args=[upload.pk]))
            assert finished(upload).status == RoundImport.Status.APPLIED
