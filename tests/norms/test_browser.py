"""The norm pages in a real browser: accessible (axe-core) and local-only."""

import pytest
from playwright.sync_api import expect

from selfscan.norms.services import load_norm_files
from tests.browser.helpers import axe_violations, external_requests, login
from tests.norms.samples import V2, load_shipped, source

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def loaded(world):
    load_shipped()
    return world


def _check(page, live_server, heading: str) -> None:
    # expect() waits for the navigation a click started; a bare count() could see the old page.
    expect(page.locator("h1")).to_contain_text(heading)
    expect(page.locator("h1")).to_have_count(1)
    assert axe_violations(page) == []
    assert external_requests(page, live_server.url) == []


def test_browser_version_and_changes_pages_are_accessible(page, live_server, loaded):
    login(page, live_server.url, loaded.user("school").email)
    page.click("nav.main-nav >> text=Normen")
    _check(page, live_server, "Normen")

    page.click("text=ANB 2025")
    _check(page, live_server, "ANB 2025")
    page.select_option("#id_sector", "SV")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    assert "sector=SV" in page.url
    assert page.locator("text=T14.05").count() >= 1
    page.click("summary >> nth=0")  # open a themakaart
    _check(page, live_server, "ANB 2025")

    page.click("text=wat is er veranderd")
    _check(page, live_server, "Wat is er veranderd")
    assert page.locator("del").count() > 0 and page.locator("ins").count() > 0


def test_upload_page_errors_preview_and_publish_are_accessible(page, live_server, loaded, tmp_path):
    login(page, live_server.url, loaded.user("staff").email)
    page.goto(f"{live_server.url}/normen/uploaden/")
    _check(page, live_server, "Normbestand uploaden")

    bad = tmp_path / "kapot.yaml"
    bad.write_text(V2.replace("[PO, VO, SV]", "[PO, BO]", 1), encoding="utf-8")
    page.set_input_files("#id_bestand", str(bad))
    page.click("main form[enctype] button[type=submit]")
    page.wait_for_load_state()
    assert "onbekende sector 'BO'" in page.locator(".error-summary").inner_text()
    _check(page, live_server, "Normbestand uploaden")

    # A valid file on top of a loaded version 1 of the test norm.
    from tests.norms.samples import V1

    assert load_norm_files([source(V1, "v1.yaml")]).errors == []
    good = tmp_path / "v2.yaml"
    good.write_text(V2, encoding="utf-8")
    page.set_input_files("#id_bestand", str(good))
    page.click("main form[enctype] button[type=submit]")
    page.wait_for_load_state()
    assert "Het bestand is in orde." in page.locator("main").inner_text()
    _check(page, live_server, "Normbestand uploaden")

    page.click("text=Publiceren")
    page.wait_for_load_state()
    assert page.url.endswith("/normen/testnorm/2/")
    assert "is gepubliceerd" in page.locator(".messages").inner_text()
    _check(page, live_server, "Testnorm versie 2")


def test_browser_changes_over_several_versions_is_accessible(page, live_server, loaded):
    from tests.norms.samples import v3_text

    assert load_norm_files([source(v3_text(), "anb-2026.yaml")]).errors == []
    login(page, live_server.url, loaded.user("adviser").email)
    page.goto(f"{live_server.url}/normen/anb/2026/wijzigingen/")
    _check(page, live_server, "Wat is er veranderd")
    page.select_option("#id_van", "2024")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    assert "van=2024" in page.url
    assert "Vergeleken over 2 stappen" in page.locator("main").inner_text()
    _check(page, live_server, "ANB 2024 (0-meting)")
