"""Journey 1: partnership staff create a measurement round and open it.

Who: a staff member of the samenwerkingsverband (role "Samenwerkingsverband").

Steps:
1. Meetrondes → "Nieuwe meetronde": the PO norm version is already the latest adopted one.
2. Choose the schools by group with the "Alle" / "Geen" buttons: all of sector PO, then none
   of wijk "Stad 2", then all of bestuur "Stichting Alfa"; save.
3. On the round's page, "Meetronde openen…" leads to a confirmation page.
4. Confirm: "Ja, meetronde openen".

What they must see:
- the schools sorted by name in a fieldset per sector, with the group buttons;
- the saved round inviting exactly De Eerste and De Tweede;
- on the confirmation page, before anything happens: "2 scholen worden uitgenodigd" and
  "1 van deze scholen heeft nog geen actief account" with De Tweede named, and that opening
  cannot be undone;
- after confirming: "De meetronde is geopend." and status Open; two scans exist.
The pages are axe-core clean and fit a 375 px screen.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from selfscan.rounds.models import Round
from selfscan.scans.models import Scan
from tests.browser.helpers import axe_violations
from tests.factories import make_norm_version
from tests.journeys._rounds_support import person, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_create_and_open_a_round(browser, live_server, world):
    version = make_norm_version(key="anbreis", themes=2, statements_per_theme=2)
    today = timezone.localdate()
    page = person(browser, live_server.url, world.user("staff").email)

    # 1. the form, with the latest adopted version preselected
    page.goto(live_server.url + "/meetrondes/")
    page.get_by_role("link", name="Nieuwe meetronde").click()
    page.wait_for_load_state()
    assert page.input_value("#id_version_po") == str(version.pk)
    po_names = page.locator("#schools-PO label").all_inner_texts()
    assert [n.split(" (")[0] for n in po_names] == ["De Derde", "De Eerste", "De Tweede"]
    page.fill("#id_name", "Zelfscan 2026-2027")
    page.fill("#id_opens_on", today.isoformat())
    page.fill("#id_closes_on", (today + timedelta(days=60)).isoformat())

    # 2. select by group with the buttons (JavaScript)
    page.get_by_role("button", name="Alle: Primair onderwijs").click()
    assert page.locator("input[name=invited_schools]:checked").count() == 3
    page.get_by_role("button", name="Geen: Stad 2").click()
    assert page.locator("input[name=invited_schools]:checked").count() == 1
    page.get_by_role("button", name="Alle: Stichting Alfa").click()
    checked = page.locator("input[name=invited_schools]:checked")
    assert checked.count() == 2
    assert axe_violations(page) == []
    shoot(page, "round-form")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state()
    assert "De meetronde is opgeslagen." in page.content()
    round_ = Round.objects.get(name="Zelfscan 2026-2027")
    assert sorted(round_.invited_schools.values_list("name", flat=True)) == [
        "De Eerste",
        "De Tweede",
    ]

    # 3. the confirmation page, with the numbers
    page.get_by_role("link", name="Meetronde openen…").click()
    page.wait_for_load_state()
    text = page.locator("#consequences").inner_text()
    assert "2 scholen worden uitgenodigd" in text
    assert "1 van deze scholen heeft nog geen actief account" in text
    assert "Dit kan niet ongedaan worden gemaakt" in text
    page.locator("#consequences summary").click()
    assert page.locator("#consequences details li").all_inner_texts() == ["De Tweede"]
    assert axe_violations(page) == []
    shoot(page, "confirm-open")
    round_.refresh_from_db()
    assert round_.status == Round.Status.DRAFT  # nothing happened yet

    # 4. confirm
    page.get_by_role("button", name="Ja, meetronde openen").click()
    page.wait_for_load_state()
    assert "De meetronde is geopend." in page.content()
    assert page.locator(".facts dd").first.inner_text() == "Open"
    round_.refresh_from_db()
    assert round_.status == Round.Status.OPEN
    assert Scan.objects.filter(round=round_).count() == 2
    page.context.close()
