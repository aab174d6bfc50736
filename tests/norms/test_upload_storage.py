"""An uploaded norm file waits in the database for the user who uploaded it, not in the session
(which every later request of that user would load and save), and only for NormUpload.KEPT_FOR."""

from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from selfscan.norms.models import NormUpload, NormVersion
from tests.norms.samples import V2

pytestmark = pytest.mark.django_db


def _check(client: Any, text: str = V2) -> str:
    upload = SimpleUploadedFile("v2.yaml", text.encode(), content_type="application/x-yaml")
    response = client.post(reverse("norms:upload"), {"bestand": upload})
    assert "Het bestand is in orde." in response.content.decode()
    return str(response.context["publish_form"].initial["token"])


def _publish(client: Any, token: str) -> Any:
    return client.post(reverse("norms:publish"), {"token": token})


def test_the_session_holds_no_file_after_the_preview(client: Any, world: Any, testnorm_v1: Any):
    client.force_login(world.user("staff"))
    # A long comment makes the file large: the session would carry it on every request.
    _check(client, V2 + "#" + "x" * 100_000 + "\n")
    session = Session.objects.get(session_key=client.session.session_key)
    assert len(session.session_data) < 2_000
    assert NormUpload.objects.get().uploaded_by == world.user("staff")


def test_the_file_is_published_from_the_database_and_then_deleted(
    client: Any, world: Any, testnorm_v1: Any
):
    client.force_login(world.user("staff"))
    response = _publish(client, _check(client))
    assert response.status_code == 302
    assert NormVersion.objects.filter(label="2").exists()
    assert not NormUpload.objects.exists()


def test_another_user_cannot_publish_someone_elses_file(client: Any, world: Any, testnorm_v1: Any):
    client.force_login(world.user("staff"))
    token = _check(client)
    client.force_login(world.user("admin"))
    response = _publish(client, token)
    assert response.status_code == 302 and response["Location"] == reverse("norms:upload")
    assert not NormVersion.objects.filter(label="2").exists()


def test_an_expired_file_is_not_published(client: Any, world: Any, testnorm_v1: Any):
    client.force_login(world.user("staff"))
    token = _check(client)
    NormUpload.objects.update(uploaded_at=timezone.now() - NormUpload.KEPT_FOR * 2)
    assert _publish(client, token)["Location"] == reverse("norms:upload")
    assert not NormVersion.objects.filter(label="2").exists()
