"""Dutch is the source language; English must be complete."""

from pathlib import Path

import polib
import pytest

PO_FILE = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_english_translation_is_complete():
    catalogue = polib.pofile(str(PO_FILE))
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert missing == []
    assert fuzzy == []


@pytest.mark.django_db
def test_home_page_in_dutch_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="nl">' in response.content.decode()
    assert "Zelfscan basisondersteuning" in response.content.decode()


@pytest.mark.django_db
def test_language_switch_to_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Self-assessment of basic support" in html
