"""The loader's messages are gettext texts: Dutch by default, English for English users."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from selfscan.norms.services import describe, validate_norm_files
from tests.norms.samples import V1, V2, source

pytestmark = pytest.mark.django_db

BAD_STATUS = V1.replace("  sectoren: [PO, VO]\n", "  sectoren: [PO, VO]\n  status: definitief\n")
NO_TITLE = V1.replace("  titel: Testnorm versie 1\n", "")


def _messages(text: str) -> list[str]:
    return [error.message for error in validate_norm_files([source(text, "v1.yaml")]).errors]


def test_cross_field_errors_are_english_for_english_users():
    with translation.override("en"):
        messages = _messages(BAD_STATUS)
    assert messages == ["unknown status 'definitief'; choose from concept, vastgesteld, vervallen"]
    assert _messages(BAD_STATUS) == [
        "onbekende status 'definitief'; kies uit concept, vastgesteld, vervallen"
    ]


def test_schema_errors_and_positions_are_english_for_english_users():
    with translation.override("en"):
        report = validate_norm_files([source(NO_TITLE, "v1.yaml")])
        assert [str(error) for error in report.errors] == [
            "v1.yaml, line 1, column 1 [metadata.titel]: required field is missing"
        ]
    dutch = validate_norm_files([source(NO_TITLE, "v1.yaml")])
    assert [str(error) for error in dutch.errors] == [
        "v1.yaml, regel 1, kolom 1 [metadata.titel]: verplicht veld ontbreekt"
    ]


def test_missing_previous_version_and_outcome_lines_are_english(testnorm_v1):
    with translation.override("en"):
        orphan = V2.replace('vorige_versie: "1"', 'vorige_versie: "0"')
        assert "has not been loaded; load it first" in _messages(orphan)[0]
        plan = validate_norm_files([source(V2, "v2.yaml")]).plans[0]
        assert describe(plan, dry_run=True) == (
            "v2.yaml: testnorm 2 would be loaded as new (2 themes, 5 statements)"
        )
    assert describe(plan, dry_run=True) == (
        "v2.yaml: testnorm 2 zou nieuw worden geladen (2 thema's, 5 stellingen)"
    )


def test_upload_page_shows_english_errors_to_an_english_user(client, world):
    client.force_login(world.user("staff"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    upload = SimpleUploadedFile("v1.yaml", BAD_STATUS.encode(), content_type="application/x-yaml")
    html = client.post(reverse("norms:upload"), {"bestand": upload}).content.decode()
    assert "unknown status &#x27;definitief&#x27;; choose from" in html
    assert "onbekende status" not in html
