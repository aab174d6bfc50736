"""With a broker, the register import's dry run is a background job (decision 0163): the upload
request keeps the file and redirects to a page that refreshes itself until the report is there;
a broker that is down fails the job at once with a retry button; only the uploader sees it."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from selfscan.core.jobs import STALLED, UNAVAILABLE
from selfscan.core.sweeper import sweep
from selfscan.organisations import importer, jobs, tasks
from selfscan.organisations import views as _views  # noqa: F401 (bound before the patch)
from selfscan.organisations.models import RegisterUpload, School
from tests.organisations.duo import Row, duo_file

pytestmark = pytest.mark.django_db

NEW = Row(bestuur="41002", code="70AQ00", name="Nieuwkomer")
UNREACHABLE = "De achtergronddienst is nu niet bereikbaar"


@pytest.fixture
def not_eager() -> Iterator[None]:
    from selfscan.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield
    finally:
        app.conf.task_always_eager = saved


class Broker:
    def __init__(self) -> None:
        self.reachable = True
        self.sent: list[int] = []


@pytest.fixture
def broker(monkeypatch: Any, not_eager: None) -> Broker:
    """Captures what is sent instead of running it; raises while `reachable` is False."""
    state = Broker()

    def delay(upload_id: int) -> None:
        if not state.reachable:
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        state.sent.append(upload_id)

    monkeypatch.setattr(tasks.check_register_upload, "delay", delay)
    return state


def _upload(client: Any, content: bytes, captured: Any) -> Any:
    with captured(execute=True):
        return client.post(
            reverse("organisations:import"),
            {"file": SimpleUploadedFile("duo.csv", content), "close_missing": ""},
        )


def test_the_upload_request_does_not_read_the_file_and_the_task_makes_the_report(
    client: Any, world: Any, broker: Broker, monkeypatch: Any, django_capture_on_commit_callbacks
):
    client.force_login(world.user("staff"))
    plan_import = importer.plan_import

    def not_in_the_request(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the dry run ran inside the upload request")

    monkeypatch.setattr(importer, "plan_import", not_in_the_request)
    response = _upload(client, duo_file([NEW]), django_capture_on_commit_callbacks)
    upload = RegisterUpload.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("organisations:import_job", args=[upload.pk])
    assert upload.status == RegisterUpload.Status.WAITING and upload.report is None
    assert broker.sent == [upload.pk]
    page = client.get(response["Location"]).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert "wacht op de controle" in page and "Wijzigingen doorvoeren" not in page
    # The import page links to the dry run (for the crawler and for someone who comes back).
    upload_page = client.get(reverse("organisations:import")).content.decode()
    assert reverse("organisations:import_job", args=[upload.pk]) in upload_page

    monkeypatch.setattr(importer, "plan_import", plan_import)
    tasks.check_register_upload.apply((upload.pk,))
    upload.refresh_from_db()
    assert upload.status == RegisterUpload.Status.DONE and upload.applicable
    assert upload.report is not None
    assert upload.report["creates"] == [{"values": {"vestigingscode": "70AQ00", "name": NEW.name}}]
    response = client.get(reverse("organisations:import_job", args=[upload.pk]))
    page = response.content.decode()
    assert 'http-equiv="refresh"' not in page
    assert "Nieuwkomer" in page and "Wijzigingen doorvoeren" in page
    digest = response.context["apply_form"].initial["digest"]
    response = client.post(reverse("organisations:import_apply"), {"digest": digest})
    assert response["Location"] == reverse("organisations:school_list")
    assert School.objects.filter(vestigingscode="70AQ00").exists()
    assert not RegisterUpload.objects.exists()


def test_a_waiting_or_failed_dry_run_cannot_be_applied(
    client: Any, world: Any, broker: Broker, django_capture_on_commit_callbacks
):
    client.force_login(world.user("staff"))
    _upload(client, duo_file([NEW]), django_capture_on_commit_callbacks)
    upload = RegisterUpload.objects.get()
    response = client.post(reverse("organisations:import_apply"), {"digest": upload.sha256})
    assert response["Location"] == reverse("organisations:import")
    assert not School.objects.filter(vestigingscode="70AQ00").exists()


def test_a_file_with_errors_is_reported_and_loses_its_bytes(
    client: Any, world: Any, broker: Broker, django_capture_on_commit_callbacks
):
    client.force_login(world.user("staff"))
    bad = Row(bestuur="41002", code="XX", name="Fout")
    _upload(client, duo_file([bad]), django_capture_on_commit_callbacks)
    upload = RegisterUpload.objects.get()
    jobs.run_check(upload.pk)
    upload.refresh_from_db()
    assert upload.status == RegisterUpload.Status.DONE and not upload.applicable
    assert bytes(upload.content) == b""
    page = client.get(reverse("organisations:import_job", args=[upload.pk])).content.decode()
    assert "Het bestand bevat fouten" in page and "ongeldige vestigingscode" in page
    assert "Wijzigingen doorvoeren" not in page


def test_broker_down_fails_at_once_and_retry_runs_the_dry_run(
    client: Any, world: Any, broker: Broker, django_capture_on_commit_callbacks
):
    client.force_login(world.user("staff"))
    broker.reachable = False
    response = _upload(client, duo_file([NEW]), django_capture_on_commit_callbacks)
    upload = RegisterUpload.objects.get()
    assert (upload.status, upload.error) == (RegisterUpload.Status.FAILED, UNAVAILABLE)
    page = client.get(response["Location"]).content.decode()
    assert UNREACHABLE in page and "Opnieuw proberen" in page
    assert 'http-equiv="refresh"' not in page

    broker.reachable = True
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("organisations:import_retry", args=[upload.pk]))
    assert response["Location"] == reverse("organisations:import_job", args=[upload.pk])
    upload.refresh_from_db()
    assert (upload.status, upload.error) == (RegisterUpload.Status.WAITING, "")
    assert broker.sent == [upload.pk]
    jobs.run_check(upload.pk)
    page = client.get(response["Location"]).content.decode()
    assert "Wijzigingen doorvoeren" in page and UNREACHABLE not in page

    # A dry run that is not failed is not started again.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("organisations:import_retry", args=[upload.pk]))
    assert broker.sent == [upload.pk]


def test_another_user_cannot_see_or_retry_the_upload(
    client: Any, world: Any, broker: Broker, django_capture_on_commit_callbacks
):
    client.force_login(world.user("staff"))
    broker.reachable = False
    _upload(client, duo_file([NEW]), django_capture_on_commit_callbacks)
    upload = RegisterUpload.objects.get()
    client.force_login(world.user("admin"))
    assert client.get(reverse("organisations:import_job", args=[upload.pk])).status_code == 404
    broker.reachable = True
    response = client.post(reverse("organisations:import_retry", args=[upload.pk]))
    assert response.status_code == 404
    assert broker.sent == []
    upload.refresh_from_db()
    assert upload.status == RegisterUpload.Status.FAILED


def test_the_sweeper_fails_a_stalled_dry_run_and_a_late_task_does_nothing(
    client: Any, world: Any, broker: Broker, django_capture_on_commit_callbacks
):
    client.force_login(world.user("staff"))
    _upload(client, duo_file([NEW]), django_capture_on_commit_callbacks)
    upload = RegisterUpload.objects.get()
    later = timezone.now() + timezone.timedelta(hours=1)
    assert sweep(now=later).registers == 1
    upload.refresh_from_db()
    assert (upload.status, upload.error) == (RegisterUpload.Status.FAILED, STALLED)
    jobs.run_check(upload.pk)
    upload.refresh_from_db()
    assert upload.status == RegisterUpload.Status.FAILED and upload.report is None
    page = client.get(reverse("organisations:import_job", args=[upload.pk])).content.decode()
    assert "gestopt zonder resultaat" in page and "Opnieuw proberen" in page


def test_without_a_broker_the_dry_run_stays_in_the_request_and_its_page_shows_it(
    client: Any, world: Any
):
    client.force_login(world.user("staff"))
    response = client.post(
        reverse("organisations:import"),
        {"file": SimpleUploadedFile("duo.csv", duo_file([NEW])), "close_missing": ""},
    )
    assert response.status_code == 200 and "Wijzigingen doorvoeren" in response.content.decode()
    upload = RegisterUpload.objects.get()
    page = client.get(reverse("organisations:import_job", args=[upload.pk])).content.decode()
    assert "Nieuwkomer" in page and "Wijzigingen doorvoeren" in page
