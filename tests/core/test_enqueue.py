"""A broker that cannot be reached while a person starts a background job: the request answers
with a page that says so (no bare 500), the record is failed (not `wachtend` forever), no audit
line claims what did not happen, and "Opnieuw proberen" starts it once the broker is back
(docs/decisions/0170-enqueue-and-sweeper.md). The broker is simulated here by making sending
raise kombu's OperationalError; tests/core/test_worker_broker_down.py stops a real Redis."""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from kombu.exceptions import OperationalError

from selfscan.audit.models import AuditEvent
from selfscan.celery import app
from selfscan.core import tasks as core_tasks
from selfscan.core.jobs import UNAVAILABLE
from selfscan.exports import services as export_services
from selfscan.exports import tasks as export_tasks
from selfscan.exports.models import ExportJob
from selfscan.imports import jobs as import_jobs
from selfscan.imports import tasks as import_tasks
from selfscan.imports.models import RoundImport
from selfscan.results import tasks as results_tasks
from selfscan.rounds import tasks as round_tasks
from selfscan.scans.models import Scan
from tests.factories import UserFactory, make_norm_version
from tests.imports.conftest import make_setup, sample_answers, wide_rows
from tests.imports.factories import csv_bytes
from tests.results.world import world_round
from tests.scans.factories import make_round

pytestmark = pytest.mark.django_db

UNREACHABLE = "De achtergronddienst is nu niet bereikbaar"
TASKS = (
    export_tasks.run_export,
    import_tasks.check_upload,
    import_tasks.apply_upload,
    round_tasks.send_reminders,
    results_tasks.compute_round_results,
)


@dataclass
class Broker:
    reachable: bool = False


@pytest.fixture
def not_eager() -> Iterator[None]:
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = saved


@pytest.fixture
def broker(monkeypatch, not_eager) -> Iterator[Broker]:
    """A broker that is down until the test sets `reachable`; then tasks run in-process, as a
    worker would run them."""
    state = Broker()

    for task in TASKS:

        def delay(*args, task=task):
            if not state.reachable:
                raise OperationalError(
                    "Error 111 connecting to 127.0.0.1:6379. Connection refused."
                )
            return task.apply(args)

        monkeypatch.setattr(task, "delay", delay)
    yield state


@pytest.fixture
def version(db):
    return make_norm_version(key="anbtest", themes=2, statements_per_theme=3)


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(role="staff"))
    return client


def test_export_with_the_broker_down_fails_at_once_and_can_be_tried_again(
    client, world, broker, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(export_services, "ASYNC_ROWS", 0)
    round_ = world_round(world)
    client.force_login(world.user("board"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("exports:index"),
            {"round": round_.pk, "kind": "stellingen", "file_format": "csv"},
        )
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "exports:job", args=[job.pk]
    )
    assert (job.status, job.error) == (ExportJob.Status.FAILED, UNAVAILABLE)
    page = client.get(reverse("exports:job", args=[job.pk])).content.decode()
    assert UNREACHABLE in page and "Opnieuw proberen" in page
    assert 'http-equiv="refresh"' not in page

    broker.reachable = True
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exports:job_retry", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.error, job.progress) == (ExportJob.Status.DONE, "", 100)
    assert "11AA00" in bytes(job.content).decode("utf-8-sig")


def test_only_the_requester_retries_an_export_and_only_a_failed_one(
    client, world, broker, django_capture_on_commit_callbacks
):
    job = ExportJob.objects.create(
        requested_by=world.user("board"),
        round=world_round(world),
        kind="stellingen",
        file_format="csv",
        status=ExportJob.Status.FAILED,
        error=UNAVAILABLE,
    )
    client.force_login(world.user("other_board"))
    assert client.post(reverse("exports:job_retry", args=[job.pk])).status_code == 404
    assert client.get(reverse("exports:job_retry", args=[job.pk])).status_code in (403, 404, 405)
    client.force_login(world.user("board"))
    broker.reachable = True
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("exports:job_retry", args=[job.pk]))
        client.post(reverse("exports:job_retry", args=[job.pk]))  # a double click
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    page = client.get(reverse("exports:job", args=[job.pk]), follow=True).content.decode()
    assert "Opnieuw proberen" not in page


def test_import_upload_and_confirmation_with_the_broker_down(
    staff_client, broker, django_capture_on_commit_callbacks
):
    setup = make_setup()
    content = csv_bytes(wide_rows(setup, sample_answers(setup)))
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("imports:start"),
            {"round": setup.round.pk, "file": SimpleUploadedFile("0-meting.csv", content)},
        )
    record = RoundImport.objects.get()
    assert response.status_code == 302
    assert (record.status, record.error) == (RoundImport.Status.FAILED, UNAVAILABLE)
    page = staff_client.get(reverse("imports:detail", args=[record.pk])).content.decode()
    assert UNREACHABLE in page and "Opnieuw proberen" in page
    assert 'http-equiv="refresh"' not in page

    broker.reachable = True
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("imports:retry", args=[record.pk]))
    record.refresh_from_db()
    assert record.status == RoundImport.Status.CHECKED

    broker.reachable = False
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("imports:apply", args=[record.pk]), {"sha256": record.sha256}
        )
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.status, record.error) == (RoundImport.Status.FAILED, UNAVAILABLE)
    page = staff_client.get(reverse("imports:detail", args=[record.pk])).content.decode()
    assert UNREACHABLE in page and "Opnieuw proberen" in page
    assert AuditEvent.objects.filter(action="import.failed").count() == 2

    broker.reachable = True
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("imports:retry", args=[record.pk]))
    record.refresh_from_db()
    assert record.status == RoundImport.Status.APPLIED  # the confirmed step, not the dry run


def test_only_the_uploader_retries_an_import(client, broker):
    setup = make_setup()
    uploader = UserFactory(role="staff")
    record = import_jobs.start_check(
        round=setup.round,
        content=csv_bytes(wide_rows(setup, sample_answers(setup))),
        file_name="f.csv",
        by=uploader,
    )
    RoundImport.objects.filter(pk=record.pk).update(
        status=RoundImport.Status.FAILED, error=UNAVAILABLE
    )
    client.force_login(UserFactory(role="staff"))
    assert client.post(reverse("imports:retry", args=[record.pk])).status_code == 404
    assert RoundImport.objects.get().status == RoundImport.Status.FAILED


def test_reminders_with_the_broker_down_say_so_and_log_nothing(client, world, version, broker):
    round_ = make_round(version=version, schools=[world.school_a1])
    assert Scan.objects.filter(round=round_).count() == 1
    client.force_login(world.user("staff"))
    response = client.post(reverse("rounds:remind", kwargs={"pk": round_.pk}), follow=True)
    assert response.status_code == 200
    assert UNREACHABLE in response.content.decode()
    assert not AuditEvent.objects.filter(action__startswith="round.reminders").exists()
    assert mail.outbox == []

    broker.reachable = True
    response = client.post(reverse("rounds:remind", kwargs={"pk": round_.pk}), follow=True)
    assert UNREACHABLE not in response.content.decode()
    assert AuditEvent.objects.filter(action="round.reminders_requested").count() == 1
    assert [message.to for message in mail.outbox] == [["school@example.org"]]


def test_closing_a_round_with_the_broker_down_still_closes_it(
    world, version, broker, django_capture_on_commit_callbacks
):
    from selfscan.rounds.services import close_round

    round_ = make_round(version=version, schools=[world.school_a1])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        close_round(round_=round_, by=world.user("staff"))  # results: on the next page
    assert len(callbacks) == 1
    round_.refresh_from_db()
    assert round_.status == round_.Status.CLOSED


def test_enqueue_reports_only_broker_errors(monkeypatch, not_eager):
    failures: list[Exception] = []

    def broken(*args):
        raise ValueError("not about the broker")

    monkeypatch.setattr(core_tasks.probe, "delay", broken)
    with pytest.raises(ValueError):
        core_tasks.enqueue(core_tasks.probe, "x", on_failure=failures.append)
    assert failures == []

    def down(*args):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(core_tasks.probe, "delay", down)
    assert core_tasks.enqueue(core_tasks.probe, "x", on_failure=failures.append) is False
    assert [type(error) for error in failures] == [ConnectionRefusedError]


def test_no_task_is_sent_with_delay_outside_the_enqueue_helper():
    """Every task goes through `enqueue`, which handles a broker that is down."""
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[2] / "selfscan"
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.name != "tasks.py" or path.parent.name != "core"
        if ".delay(" in path.read_text() or ".apply_async(" in path.read_text()
    ]
    assert offenders == []


def test_tasks_are_acknowledged_late_and_sending_gives_up_fast():
    for task in (*TASKS, round_tasks.send_due_reminders, core_tasks.sweep_stalled_jobs):
        assert task.acks_late and task.reject_on_worker_lost, task.name
    policy = app.conf.task_publish_retry_policy
    assert policy["max_retries"] <= 3 and policy["interval_max"] <= 1
    assert app.conf.broker_connection_timeout <= 5
