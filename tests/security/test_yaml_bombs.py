"""YAML anchors and aliases are refused before anything expands them ("billion laughs"): on the
norm and survey upload pages and in the load_norm and load_survey commands, with a clear Dutch
message and nothing stored. The bomb is a few hundred bytes; nothing in a test expands it, so
these tests finish at once (a regression would hang them and grow the process by gigabytes)."""

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from selfscan.core.yamldata import parse
from selfscan.norms.models import NormVersion
from selfscan.norms.schema import NormFile
from selfscan.surveys.models import Survey

pytestmark = pytest.mark.django_db

MESSAGE = "ankers (&amp;naam) en verwijzingen (*naam) zijn niet toegestaan"


def billion_laughs(top_key: str) -> bytes:
    """Nine levels of nine aliases each: 9**9 (387 million) strings from about 500 bytes."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 9):
        aliases = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{aliases}]")
    lines.append(f"{top_key}: *a8")
    return ("\n".join(lines) + "\n").encode()


SMALL_ALIAS = b"metadata: &m {naam: x}\nandere: *m\n"


def test_the_bomb_is_small_on_disk():
    assert len(billion_laughs("survey")) < 1024


@pytest.mark.parametrize(
    "content", [SMALL_ALIAS, billion_laughs("metadata")], ids=["alias", "bomb"]
)
def test_parse_refuses_anchors_before_expanding(content: bytes):
    parsed = parse(content, NormFile, "bom.yaml")
    assert parsed.model is None and parsed.data is None
    column = 11 if content is SMALL_ALIAS else 5  # the first anchor
    assert [str(e) for e in parsed.errors] == [
        f"bom.yaml, regel 1, kolom {column}: ankers (&naam) en verwijzingen (*naam) zijn niet "
        "toegestaan; schrijf de waarden voluit"
    ]


def test_an_anchor_without_alias_is_refused_too():
    parsed = parse(b"metadata: &m {naam: x}\n", NormFile, "a.yaml")
    assert "ankers (&naam)" in str(parsed.errors[0])


def test_norm_upload_refuses_a_billion_laughs(client: Any, world: Any):
    client.force_login(world.user("staff"))
    upload = SimpleUploadedFile("bom.yaml", billion_laughs("metadata"))
    response = client.post(reverse("norms:upload"), {"bestand": upload})
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert "norms.upload" not in client.session
    assert NormVersion.objects.count() == 0


def test_survey_upload_refuses_a_billion_laughs(client: Any, world: Any):
    client.force_login(world.user("staff"))
    upload = SimpleUploadedFile("bom.yaml", billion_laughs("survey"))
    response = client.post(reverse("surveys:upload"), {"file": upload})
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()
    assert Survey.objects.count() == 0


def test_load_norm_refuses_a_billion_laughs(tmp_path: Path, capsys: Any):
    path = tmp_path / "bom.yaml"
    path.write_bytes(billion_laughs("metadata"))
    with pytest.raises(CommandError):
        call_command("load_norm", str(path))
    assert "ankers (&naam) en verwijzingen (*naam) zijn niet toegestaan" in (
        capsys.readouterr().err
    )
    assert NormVersion.objects.count() == 0


def test_load_survey_refuses_a_billion_laughs(tmp_path: Path, capsys: Any):
    path = tmp_path / "bom.yaml"
    path.write_bytes(billion_laughs("survey"))
    with pytest.raises(CommandError, match="niets opgeslagen"):
        call_command("load_survey", str(path))
    assert "ankers (&naam) en verwijzingen (*naam) zijn niet toegestaan" in (
        capsys.readouterr().err
    )
    assert Survey.objects.count() == 0


def test_the_refusal_reads_in_english(client: Any, world: Any):
    from django.utils import translation

    with translation.override("en"):
        parsed = parse(SMALL_ALIAS, NormFile, "a.yaml")
        assert "anchors (&name) and aliases (*name) are not allowed" in str(parsed.errors[0])
