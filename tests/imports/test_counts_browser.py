"""The import dry run in a browser when a column is missing and nobody would be submitted: the
counts, the warning and the statements nobody answered; axe-core clean (issue 14)."""

import pytest

from tests.browser.helpers import axe_violations, login
from tests.imports.conftest import make_setup, sample_answers, wide_rows
from tests.imports.factories import csv_bytes
from tests.imports.test_browser import choose_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dry_run_warns_that_nobody_is_submitted(page, live_server, world):
    setup = make_setup()
    rows = wide_rows(setup, sample_answers(setup, complete_all=True))
    missing = setup.codes[-1]
    index = rows[0].index(missing)
    rows = [row[:index] + row[index + 1 :] for row in rows]
    login(page, live_server.url, world.user("staff").email)
    page.goto(live_server.url + "/beheer/importeren/")
    choose_file(page, setup.round, csv_bytes(rows), "zonder-kolom.csv")
    main = page.locator("main").inner_text()
    assert "Geen enkele zelfscan wordt ingediend." in main
    assert f"gelden: {missing}." in main
    counts = page.locator("table.import-counts").inner_text()
    assert "Volledig: worden ingediend\t0" in counts and "Onvolledig: niet ingediend\t4" in counts
    page.screenshot(path="var/import-nobody-submitted.png", full_page=True)
    assert axe_violations(page) == []
