"""The register import's dry-run file waits in the database for the user who uploaded it, not in
the session (which every later request of that user would load and save), and only for
RegisterUpload.KEPT_FOR."""

from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from selfscan.organisations.models import RegisterUpload, School
from tests.organisations.duo import Row, duo_file

pytestmark = pytest.mark.django_db

NEW = Row(bestuur="41002", code="70AQ00", name="Nieuwkomer")


def _dry_run(client: Any, content: bytes) -> str:
    response = client.post(
        reverse("organisations:import"),
        {"file": SimpleUploadedFile("duo.csv", content), "close_missing": "on"},
    )
    assert response.status_code == 200 and "Wijzigingen doorvoeren" in response.content.decode()
    return str(response.context["apply_form"].initial["digest"])


def _apply(client: Any, digest: str) -> Any:
    return client.post(reverse("organisations:import_apply"), {"digest": digest})


def test_the_session_holds_no_file_after_a_dry_run(client: Any, world: Any):
    client.force_login(world.user("staff"))
    # A street column of 100 kB: the session would carry it on every request.
    padding = Row(bestuur="41002", code="70AQ00", name="Nieuwkomer", street="x" * 100_000)
    _dry_run(client, duo_file([padding]))
    session = Session.objects.get(session_key=client.session.session_key)
    assert len(session.session_data) < 2_000
    upload = RegisterUpload.objects.get()
    assert upload.uploaded_by == world.user("staff")
    assert upload.file_name == "duo.csv" and upload.close_missing
    assert len(bytes(upload.content)) > 100_000


def test_the_file_is_applied_from_the_database_and_then_deleted(client: Any, world: Any):
    client.force_login(world.user("staff"))
    digest = _dry_run(client, duo_file([NEW]))
    response = _apply(client, digest)
    assert response.status_code == 302
    assert School.objects.filter(vestigingscode="70AQ00").exists()
    assert RegisterUpload.objects.count() == 0


def test_another_user_cannot_apply_someone_elses_dry_run(client: Any, world: Any):
    client.force_login(world.user("staff"))
    digest = _dry_run(client, duo_file([NEW]))
    client.force_login(world.user("admin"))
    response = _apply(client, digest)
    assert response.status_code == 302 and response["Location"] == reverse("organisations:import")
    assert not School.objects.filter(vestigingscode="70AQ00").exists()
    assert RegisterUpload.objects.count() == 1  # still waiting for its own user


def test_an_expired_dry_run_is_not_applied(client: Any, world: Any):
    client.force_login(world.user("staff"))
    digest = _dry_run(client, duo_file([NEW]))
    RegisterUpload.objects.update(
        uploaded_at=timezone.now() - RegisterUpload.KEPT_FOR - timezone.timedelta(minutes=1)
    )
    response = _apply(client, digest)
    assert response.status_code == 302 and response["Location"] == reverse("organisations:import")
    assert not School.objects.filter(vestigingscode="70AQ00").exists()


def test_one_file_waits_per_user_and_expired_files_are_swept(client: Any, world: Any):
    client.force_login(world.user("admin"))
    _dry_run(client, duo_file([NEW]))
    RegisterUpload.objects.update(uploaded_at=timezone.now() - RegisterUpload.KEPT_FOR * 2)
    client.force_login(world.user("staff"))
    first = _dry_run(client, duo_file([NEW]))
    second = _dry_run(client, duo_file([NEW, Row(bestuur="41002", code="70AR00", name="Twee")]))
    assert list(RegisterUpload.objects.values_list("sha256", flat=True)) == [second]
    assert _apply(client, first)["Location"] == reverse("organisations:import")
    assert _apply(client, second)["Location"] == reverse("organisations:school_list")
    assert School.objects.filter(vestigingscode__in=["70AQ00", "70AR00"]).count() == 2
