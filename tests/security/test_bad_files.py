"""Bad files on every upload: a clear Dutch message and nothing written, never a 500."""

import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from selfscan.audit.models import AuditEvent
from selfscan.norms.models import NormVersion
from selfscan.organisations.models import Bestuur, School
from selfscan.surveys.models import Survey

pytestmark = pytest.mark.django_db

BIG = 20 * 1024 * 1024


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "geen werkmap")
    return buffer.getvalue()


BAD_FILES = {
    "empty": ("leeg.csv", b""),
    "garbage": ("rommel.csv", bytes(range(256)) * 40),
    "zip-as-xlsx": ("register.xlsx", _zip_bytes()),
    "garbage-xlsx": ("register.xlsx", b"PK\x03\x04" + b"\x00" * 500),
    "header-only-bom-crlf": ("duo.csv", "\ufeffvestigingscode;naam\r\n".encode()),
}


def _snapshot() -> tuple[int, int, int]:
    return School.objects.count(), Bestuur.objects.count(), AuditEvent.objects.count()


@pytest.mark.parametrize("name,content", BAD_FILES.values(), ids=list(BAD_FILES))
def test_register_import_refuses_a_bad_file(client: Any, world: Any, name: str, content: bytes):
    client.force_login(world.user("staff"))
    before = _snapshot()
    response = client.post(
        reverse("organisations:import"), {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 200
    assert "Wijzigingen doorvoeren" not in response.content.decode()
    assert "register_import" not in client.session
    assert _snapshot() == before


def test_register_import_refuses_a_20_mb_file_before_reading_it(client: Any, world: Any):
    client.force_login(world.user("staff"))
    content = b"vestigingscode;naam\r\n" + b"x" * BIG
    response = client.post(
        reverse("organisations:import"), {"file": SimpleUploadedFile("groot.csv", content)}
    )
    assert response.status_code == 200
    assert "Het bestand is te groot (hoogstens 5 MB)." in response.content.decode()
    assert "register_import" not in client.session


def test_survey_upload_refuses_a_20_mb_file(client: Any, world: Any):
    client.force_login(world.user("staff"))
    content = b"survey:\n  title: T\n# " + b"x" * BIG + b"\nquestions: []\n"
    response = client.post(
        reverse("surveys:upload"), {"file": SimpleUploadedFile("groot.yaml", content)}
    )
    assert response.status_code == 400
    assert "Het bestand is te groot (hoogstens 1000 kB)." in response.content.decode()
    assert Survey.objects.count() == 0


@pytest.mark.parametrize("name,content", BAD_FILES.values(), ids=list(BAD_FILES))
def test_survey_upload_refuses_a_bad_file(client: Any, world: Any, name: str, content: bytes):
    client.force_login(world.user("staff"))
    response = client.post(reverse("surveys:upload"), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert Survey.objects.count() == 0


@pytest.mark.parametrize("name,content", BAD_FILES.values(), ids=list(BAD_FILES))
def test_norm_upload_refuses_a_bad_file(client: Any, world: Any, name: str, content: bytes):
    client.force_login(world.user("staff"))
    response = client.post(
        reverse("norms:upload"),
        {
            "bestand": SimpleUploadedFile(
                name.replace(".csv", ".yaml").replace(".xlsx", ".yaml"), content
            )
        },
    )
    assert response.status_code == 200
    assert "norms.upload" not in client.session
    assert NormVersion.objects.count() == 0


def test_register_import_reads_mixed_line_endings_and_a_bom(client: Any, world: Any):
    from tests.organisations.duo import Row, duo_file

    rows = [
        Row(bestuur="41001", code="11AA00", name="De Eerste", wijk="Stad 1"),
        Row(bestuur="41002", code="70AQ00", name="Nieuwkomer", wijk="Stad 1"),
    ]
    text = duo_file(rows, encoding="utf-8").decode()
    lines = text.split("\r\n")
    mixed = "\ufeff" + lines[0] + "\r" + lines[1] + "\n" + "\r\n".join(lines[2:])
    client.force_login(world.user("staff"))
    response = client.post(
        reverse("organisations:import"),
        {"file": SimpleUploadedFile("duo.csv", mixed.encode()), "close_missing": ""},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nieuwkomer" in html and "Wijzigingen doorvoeren" in html


def test_register_import_explains_an_unreadable_csv(client: Any, world: Any):
    client.force_login(world.user("staff"))
    # One unquoted field beyond the csv module's field limit (a corrupted or binary file).
    content = b'vestigingscode;naam\n11AA00;"' + b"x" * 200_000 + b"\n"
    response = client.post(
        reverse("organisations:import"), {"file": SimpleUploadedFile("duo.csv", content)}
    )
    assert response.status_code == 200
    assert "dit is geen leesbaar CSV-bestand" in response.content.decode()


def test_yaml_upload_with_control_characters_names_the_place(client: Any, world: Any):
    client.force_login(world.user("staff"))
    content = b"survey:\n  title: T\x03\n"
    response = client.post(
        reverse("surveys:upload"), {"file": SimpleUploadedFile("v.yaml", content)}
    )
    assert response.status_code == 400
    assert "v.yaml, regel 2, kolom 11" in response.content.decode()
    assert "tekens die niet in een tekstbestand horen" in response.content.decode()


def test_register_import_with_a_nul_character_changes_nothing(client: Any, world: Any):
    from tests.organisations.duo import Row, duo_file

    content = duo_file([Row(bestuur="41002", code="70AQ00", name="Nieuw\x00komer")])
    client.force_login(world.user("staff"))
    before = _snapshot()
    response = client.post(
        reverse("organisations:import"), {"file": SimpleUploadedFile("duo.csv", content)}
    )
    assert response.status_code == 200
    digest = (
        response.context["apply_form"].initial["digest"] if "apply_form" in response.context else ""
    )
    client.post(reverse("organisations:import_apply"), {"digest": digest})
    assert _snapshot() == before
