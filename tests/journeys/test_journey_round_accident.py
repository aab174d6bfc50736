"""Journey: a round closed by mistake is reopened, and a school submits in the extra time.

Who: a staff member of the samenwerkingsverband, and the school team of De Eerste.

Steps:
1. Staff create a round that opens in 30 days and "open" it: the confirmation page says it
   will be scheduled; after confirming the round shows "Gepland". The school does not see it.
2. Time moves to the opening date: the daily beat task (run with that date) opens the round.
3. Staff click "Meetronde sluiten…" by mistake: the confirmation page says, with numbers, that
   3 schools have not submitted and will be locked out, and prominently that the closing date
   is still 60+ days away. They confirm anyway; the round is closed.
4. Staff reopen it ("Meetronde heropenen…") with a new closing date and a reason.
5. The school sees the reason on its home page and its scan overview, answers everything,
   and on the review page reads what submitting means; the submit button does nothing until
   the confirmation box is ticked; then the scan is submitted.
6. Staff close the round again and publish: the publication page says who will see what and
   that the round was reopened; publishing cannot be undone.
Every confirmation page is axe-core clean and fits 375 px (screenshots in var/screenshots/).
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from selfscan.audit.models import AuditEvent
from selfscan.rounds.models import Round
from selfscan.rounds.tasks import open_due_rounds
from selfscan.scans.models import Scan
from tests.browser.helpers import axe_violations
from tests.factories import make_norm_version
from tests.journeys._rounds_support import person, shoot, today_is
from tests.rounds.helpers import answer_all

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "De meetronde werd per ongeluk gesloten. U kunt weer invullen."


def _status(page):
    return page.locator(".facts dd").first.inner_text()


def test_scheduled_round_closed_by_mistake_is_reopened(browser, live_server, world):
    make_norm_version(key="anbongeluk", themes=1, statements_per_theme=2, nvt_every=0)
    base = live_server.url
    opens = timezone.localdate() + timedelta(days=30)
    closes = opens + timedelta(days=90)

    # 1. create a round that opens in 30 days, and schedule it
    staff = person(browser, base, world.user("staff").email)
    staff.goto(base + reverse("rounds:create"))
    staff.fill("#id_name", "Zelfscan 2027")
    staff.fill("#id_opens_on", opens.isoformat())
    staff.fill("#id_closes_on", closes.isoformat())
    staff.get_by_role("button", name="Opslaan").click()
    staff.wait_for_load_state()
    round_ = Round.objects.get(name="Zelfscan 2027")
    staff.get_by_role("link", name="Meetronde openen…").click()
    staff.wait_for_load_state()
    assert staff.locator("h1").inner_text() == "Meetronde plannen"
    assert "opent vanzelf op" in staff.locator("#consequences").inner_text()
    assert "3 scholen worden uitgenodigd" in staff.locator("#consequences").inner_text()
    assert axe_violations(staff) == []
    shoot(staff, "confirm-schedule")
    staff.get_by_role("button", name="Meetronde plannen").click()
    staff.wait_for_load_state()
    assert _status(staff) == "Gepland"
    assert "opent vanzelf op" in staff.locator("#scheduled").inner_text()
    school = person(browser, base, world.user("school").email)
    assert "Zelfscan 2027" not in school.content()

    with today_is(opens + timedelta(days=1)):
        # 2. the opening date has come (a day late even): the beat task opens the round
        assert open_due_rounds.delay(opens.isoformat()).get() == [round_.pk]
        staff.reload()
        assert _status(staff) == "Open"

        # 3. closed by mistake, after a confirmation with the numbers
        staff.get_by_role("link", name="Meetronde sluiten…").click()
        staff.wait_for_load_state()
        early = staff.locator("#early-warning")
        assert early.is_visible()
        assert "nog 90 dagen" in early.inner_text()
        text = staff.locator("#consequences").inner_text()
        assert "3 scholen hebben nog niet ingediend en kunnen daarna niets meer invullen." in text
        assert axe_violations(staff) == []
        shoot(staff, "confirm-close")
        staff.get_by_role("button", name="Ja, meetronde sluiten").click()
        staff.wait_for_load_state()
        assert _status(staff) == "Gesloten"

        # 4. reopened with a new date and a reason
        staff.get_by_role("link", name="Meetronde heropenen…").click()
        staff.wait_for_load_state()
        assert (
            "3 scholen die nog niet hadden ingediend" in staff.locator("#consequences").inner_text()
        )
        staff.fill("#id_closes_on", (opens + timedelta(days=60)).isoformat())
        staff.fill("#id_reason", REASON)
        assert axe_violations(staff) == []
        shoot(staff, "confirm-reopen")
        staff.get_by_role("button", name="Meetronde heropenen").click()
        staff.wait_for_load_state()
        assert "De meetronde is heropend; de scholen zien de reden." in staff.content()
        assert _status(staff) == "Open"
        assert AuditEvent.objects.get(action="round.reopened").changes["reason"] == REASON

        # 5. the school sees the reason, answers, confirms and submits
        school.goto(base + "/")
        assert REASON in school.locator("main").inner_text()
        scan = Scan.objects.select_related("norm_version").get(round=round_, school=world.school_a1)
        answer_all(scan, world.user("school"))
        school.goto(base + reverse("scans:overview", args=[scan.pk]))
        assert REASON in school.locator("#round-notice").inner_text()
        school.get_by_role("link", name="Controleren en indienen").click()
        school.wait_for_load_state()
        assert "Na het indienen kunt u de antwoorden niet meer wijzigen" in school.content()
        assert axe_violations(school) == []
        shoot(school, "confirm-submit")
        school.get_by_role("button", name="Zelfscan indienen").click()  # box not ticked
        assert school.url.endswith(reverse("scans:review", args=[scan.pk]))
        scan.refresh_from_db()
        assert scan.status != Scan.Status.SUBMITTED
        school.get_by_label("Ik begrijp dat ik na het indienen niets meer kan wijzigen.").check()
        school.get_by_role("button", name="Zelfscan indienen").click()
        school.wait_for_load_state()
        assert "De zelfscan is ingediend. Dank u wel!" in school.content()
        scan.refresh_from_db()
        assert scan.status == Scan.Status.SUBMITTED

        # 6. closed again, and published
        staff.goto(base + reverse("rounds:close", args=[round_.pk]))
        staff.get_by_role("button", name="Ja, meetronde sluiten").click()
        staff.wait_for_load_state()
        staff.get_by_role("link", name="Resultaten publiceren…").click()
        staff.wait_for_load_state()
        text = staff.locator("#consequences").inner_text()
        assert "1 schoolteam ziet de eigen resultaten en themakaarten." in text
        assert "1 bestuur ziet de resultaten van de eigen scholen." in text
        assert "Publiceren kan niet ongedaan worden gemaakt" in text
        assert "heropend geweest" in staff.content()
        assert axe_violations(staff) == []
        shoot(staff, "confirm-publish")
        staff.get_by_role("button", name="Ja, resultaten publiceren").click()
        staff.wait_for_load_state()
        assert _status(staff) == "Gepubliceerd"
    round_.refresh_from_db()
    assert round_.status == Round.Status.PUBLISHED
    staff.context.close()
    school.context.close()
