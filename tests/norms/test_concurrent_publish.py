"""Two staff members publishing the same new norm version at the same moment.

The database's unique constraint on (norm, label) decides who wins; the other is told what
happened (the same content: the version is there; other content: a Dutch error) and never gets
a 500. The deterministic tests make the loser's checks stale (they ran before the winner
committed); on PostgreSQL a further test races two real connections.
"""

import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from selfscan.norms import services
from selfscan.norms.models import NormVersion
from selfscan.norms.services import Action, load_norm_files
from tests.norms.samples import V2, source

ON_POSTGRES = connection.vendor == "postgresql"
V2_OTHER = V2.replace("titel: Testnorm versie 2", "titel: Testnorm versie 2 (andere tekst)")


def _staff_client(email: str) -> Client:
    from selfscan.accounts.models import Role
    from tests.factories import UserFactory

    client = Client()
    client.force_login(UserFactory(email=email, role=Role.STAFF))
    return client


def _upload(client: Client, text: str) -> str:
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("v2.yaml", text.encode(), content_type="application/x-yaml")
    response = client.post(reverse("norms:upload"), {"bestand": upload})
    assert "Het bestand is in orde." in response.content.decode()
    return str(response.context["publish_form"].initial["token"])


@pytest.fixture
def stale_checks(monkeypatch):
    """The next load's two checks (before and inside its transaction) do not see a version
    that another load wrote in between, as when both ran before the other committed."""
    real = services._decide_action
    calls = {"n": 0}

    def stale(plan: Any) -> None:
        real(plan)
        calls["n"] += 1
        if calls["n"] <= 2 and plan.existing is not None:
            plan.action, plan.existing = Action.NEW, None

    def arm() -> None:
        monkeypatch.setattr(services, "_decide_action", stale)

    return arm


@pytest.mark.django_db
def test_losing_the_race_with_the_same_file_shows_the_published_version(testnorm_v1, stale_checks):
    first, second = _staff_client("a@example.org"), _staff_client("b@example.org")
    token_a, token_b = _upload(first, V2), _upload(second, V2)
    assert first.post(reverse("norms:publish"), {"token": token_a}).status_code == 302

    stale_checks()
    response = second.post(reverse("norms:publish"), {"token": token_b}, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse(
        "norms:version", kwargs={"key": "testnorm", "label": "2"}
    )
    assert "op hetzelfde moment door iemand anders gepubliceerd" in response.content.decode()
    version = NormVersion.objects.get(norm__key="testnorm", label="2")
    assert version.loaded_by.email == "a@example.org"
    assert version.statements.count() == 5


@pytest.mark.django_db
def test_losing_the_race_with_other_content_is_a_dutch_error_and_changes_nothing(
    testnorm_v1, stale_checks
):
    first, second = _staff_client("a@example.org"), _staff_client("b@example.org")
    token_a, token_b = _upload(first, V2), _upload(second, V2_OTHER)
    first.post(reverse("norms:publish"), {"token": token_a})

    stale_checks()
    response = second.post(reverse("norms:publish"), {"token": token_b})

    assert response.status_code == 200
    assert "is op hetzelfde moment door iemand anders geladen; er is niets opgeslagen" in (
        response.content.decode()
    )
    version = NormVersion.objects.get(norm__key="testnorm", label="2")
    assert version.title == "Testnorm versie 2"
    assert version.loaded_by.email == "a@example.org"


@pytest.mark.django_db
def test_the_loader_reports_a_lost_race_instead_of_raising(testnorm_v1, stale_checks):
    assert load_norm_files([source(V2, "v2.yaml")]).written
    stale_checks()
    report = load_norm_files([source(V2, "v2.yaml")])
    assert report.ok and report.concurrent and not report.written
    assert [v.label for v in report.versions] == ["2"]
    assert NormVersion.objects.filter(norm__key="testnorm").count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_staff_publish_the_same_version_at_once(testnorm_v1, monkeypatch):
    first, second = _staff_client("a@example.org"), _staff_client("b@example.org")
    tokens = [_upload(first, V2), _upload(second, V2)]
    url = reverse("norms:publish")

    if ON_POSTGRES:
        # Both loads pass their checks, then meet before writing: both INSERT the same
        # (norm, label), one waits for the other's commit and hits the unique constraint.
        meet = threading.Barrier(2)
        real_write = services._write

        def write_together(plan: Any, actor: Any) -> NormVersion:
            meet.wait(timeout=30)
            return real_write(plan, actor)

        monkeypatch.setattr(services, "_write", write_together)
        responses: list[Any] = [None, None]
        errors: list[BaseException] = []

        def publish(i: int, client: Client) -> None:
            from django.db import connections

            try:
                responses[i] = client.post(url, {"token": tokens[i]}, follow=True)
            except BaseException as exc:  # reported in the test's thread
                errors.append(exc)
            finally:
                connections.close_all()

        threads = [
            threading.Thread(target=publish, args=(i, c)) for i, c in enumerate([first, second])
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not errors, errors
    else:
        # SQLite takes one writer at a time: the second publish comes after the first.
        responses = [
            client.post(url, {"token": token}, follow=True)
            for client, token in zip([first, second], tokens, strict=True)
        ]

    assert [r.status_code for r in responses] == [200, 200]
    pages = [r.content.decode() for r in responses]
    assert sum("is gepubliceerd" in page for page in pages) == 1
    loser = next(page for page in pages if "is gepubliceerd" not in page)
    assert "door iemand anders gepubliceerd" in loser or "is ongewijzigd" in loser
    assert NormVersion.objects.filter(norm__key="testnorm", label="2").count() == 1
