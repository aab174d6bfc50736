"""The register import page in a browser: missing schools stay open unless the checkbox is
ticked, and the dry run says how many close (issue 14); axe-core on both dry runs."""

import pytest

from selfscan.organisations.models import School
from tests.browser.helpers import axe_violations, login
from tests.organisations.duo import Row, duo_file

pytestmark = pytest.mark.browser


def test_close_missing_checkbox_and_counts(page, live_server, world, tmp_path):
    path = tmp_path / "duo.csv"
    path.write_bytes(
        duo_file([Row(bestuur="41001", code="11AA00", name="De Eerste", wijk="Stad 1")])
    )
    login(page, live_server.url, world.user("staff").email)
    page.goto(live_server.url + "/register/import/")
    assert not page.is_checked("#id_close_missing")
    page.set_input_files("input[name=file]", str(path))
    page.click("main form[enctype] button[type=submit]")
    page.wait_for_load_state()
    result = page.locator("#import-result").inner_text()
    assert "2 actieve scholen van de sectoren in dit bestand staan er niet in" in result
    page.screenshot(path="var/register-import-missing.png", full_page=True)
    assert axe_violations(page) == []

    page.set_input_files("input[name=file]", str(path))
    page.check("#id_close_missing")
    page.click("main form[enctype] button[type=submit]")
    page.wait_for_load_state()
    result = page.locator("#import-result").inner_text()
    assert "2 scholen worden gesloten" in result
    page.screenshot(path="var/register-import-close.png", full_page=True)
    assert axe_violations(page) == []
    page.click("text=Wijzigingen doorvoeren")
    page.wait_for_load_state()
    assert School.objects.active().count() == 1
