"""The import journey in a browser: upload, see the dry run, confirm; axe-core on every page.

The live server runs Celery eagerly, as the demo does: each job has finished by the time the
page it redirects to is shown."""

import pytest

from selfscan.scans.models import Answer
from tests.browser.helpers import axe_violations, external_requests, login
from tests.imports.conftest import make_setup, sample_answers, wide_rows
from tests.imports.factories import csv_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def choose_file(page, round, content, name):
    page.select_option("select[name=round]", str(round.pk))
    page.set_input_files(
        "input[name=file]", files=[{"name": name, "mimeType": "text/csv", "buffer": content}]
    )
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def test_staff_imports_a_file_after_a_dry_run(page, live_server, world):
    setup = make_setup()
    login(page, live_server.url, world.user("staff").email)
    page.click("text=Resultaten importeren")
    assert page.locator("h1").inner_text() == "Resultaten importeren"
    assert axe_violations(page) == []

    rows = wide_rows(setup, sample_answers(setup))
    broken = [list(row) for row in rows]
    broken[2][3] = "7"
    choose_file(page, setup.round, csv_bytes(broken), "fouten.csv")
    assert "rij 3, kolom D" in page.locator(".problems").inner_text()
    assert "Er is niets opgeslagen." in page.locator("main").inner_text()
    assert axe_violations(page) == []
    page.click("text=Een (verbeterd) bestand uploaden")
    page.wait_for_load_state()

    choose_file(page, setup.round, csv_bytes(rows), "goed.csv")
    assert page.locator("h1").inner_text().startswith("Import")
    assert "Geen fouten." in page.locator("main").inner_text()
    assert axe_violations(page) == []
    assert not Answer.objects.exists()

    page.click("text=Bevestigen en importeren")
    page.wait_for_load_state()
    assert "Geïmporteerd: 4 scholen" in page.locator(".import-status").inner_text()
    assert Answer.objects.exists()
    assert axe_violations(page) == []
    assert external_requests(page, live_server.url) == []
