"""Reopening a closed round (new closing date, a reason the schools see), extending with a
reason, and publishing a corrected round after a reopen (issue 14)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from selfscan.audit.models import AuditEvent
from selfscan.results.models import AggregateRow, ResultState
from selfscan.results.services import ensure_results
from selfscan.rounds.models import Round
from selfscan.rounds.services import (
    RoundError,
    close_round,
    extend_round,
    publish_round,
    reopen_round,
)
from selfscan.scans.models import Scan
from selfscan.scans.services import locked_reason
from tests.rounds.helpers import submit
from tests.scans.factories import make_round

REASON = "Door een storing konden scholen in week 47 niet inloggen."


@pytest.fixture
def closed(world, version):
    round_ = make_round(
        version=version, schools=[world.school_a1, world.school_a2, world.school_b1]
    )
    submit(Scan.objects.get(round=round_, school=world.school_b1), world.user("other_school"))
    close_round(round_=round_, by=world.user("staff"))
    return round_


def _city_submitted(round_: Round) -> int:
    ensure_results(round_)
    row = AggregateRow.objects.get(round=round_, level="city", theme__isnull=True)
    return row.submitted


def test_reopen_opens_the_round_again_until_the_new_date_with_the_reason(world, closed):
    staff = world.user("staff")
    new_date = timezone.localdate() + timedelta(days=14)
    ensure_results(closed)
    reopen_round(round_=closed, by=staff, closes_on=new_date, reason=REASON)
    closed.refresh_from_db()
    assert (closed.status, closed.closes_on, closed.notice) == (Round.Status.OPEN, new_date, REASON)
    event = AuditEvent.objects.get(action="round.reopened")
    assert event.actor == staff
    assert event.changes["reason"] == REASON
    assert event.changes["closes_on"][1] == new_date.isoformat()
    assert not ResultState.objects.filter(round=closed).exists()
    not_submitted = Scan.objects.select_related("round").get(round=closed, school=world.school_a1)
    assert locked_reason(not_submitted) == ""
    submitted = Scan.objects.select_related("round").get(round=closed, school=world.school_b1)
    assert submitted.status == Scan.Status.SUBMITTED


@pytest.mark.parametrize(
    "days,reason,message",
    [
        (14, "", "Geef een reden op"),
        (14, "   ", "Geef een reden op"),
        (-1, REASON, "vandaag"),
    ],
)
def test_reopen_refuses_bad_input_and_changes_nothing(world, closed, days, reason, message):
    with pytest.raises(RoundError, match=message):
        reopen_round(
            round_=closed,
            by=world.user("staff"),
            closes_on=timezone.localdate() + timedelta(days=days),
            reason=reason,
        )
    closed.refresh_from_db()
    assert closed.status == Round.Status.CLOSED and closed.notice == ""
    assert not AuditEvent.objects.filter(action="round.reopened").exists()


@pytest.mark.parametrize("status", [Round.Status.OPEN, Round.Status.PUBLISHED])
def test_only_a_closed_unpublished_round_reopens(world, closed, status):
    Round.objects.filter(pk=closed.pk).update(status=status)
    with pytest.raises(RoundError, match="Alleen een gesloten meetronde"):
        reopen_round(
            round_=closed,
            by=world.user("staff"),
            closes_on=timezone.localdate() + timedelta(days=3),
            reason=REASON,
        )
    closed.refresh_from_db()
    assert closed.status == status


def test_publishing_a_corrected_round_after_a_reopen_recomputes_and_is_audited(world, closed):
    staff = world.user("staff")
    assert _city_submitted(closed) == 1
    reopen_round(
        round_=closed, by=staff, closes_on=timezone.localdate() + timedelta(days=7), reason=REASON
    )
    late = Scan.objects.get(round=closed, school=world.school_a1)
    submit(late, world.user("school"))
    close_round(round_=closed, by=staff)
    publish_round(round_=closed, by=staff)
    closed.refresh_from_db()
    assert closed.status == Round.Status.PUBLISHED
    assert _city_submitted(closed) == 2
    actions = list(
        AuditEvent.objects.filter(object_id=str(closed.pk), action__startswith="round.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions[-4:] == ["round.closed", "round.reopened", "round.closed", "round.published"]
    with pytest.raises(RoundError):
        reopen_round(
            round_=closed, by=staff, closes_on=timezone.localdate() + timedelta(7), reason="x"
        )


def test_extend_with_a_reason_shows_it_to_schools_and_logs_it(world, version):
    round_ = make_round(version=version, schools=[world.school_a1])
    later = round_.closes_on + timedelta(days=10)
    extend_round(round_=round_, by=world.user("staff"), closes_on=later, reason="Extra week.")
    round_.refresh_from_db()
    assert (round_.closes_on, round_.notice) == (later, "Extra week.")
    assert AuditEvent.objects.get(action="round.extended").changes["reason"] == "Extra week."
    # without a reason the earlier notice stays
    extend_round(round_=round_, by=world.user("staff"), closes_on=later + timedelta(days=1))
    round_.refresh_from_db()
    assert round_.notice == "Extra week."


def test_extend_through_the_page_takes_an_optional_reason(client, world, version):
    round_ = make_round(version=version, schools=[world.school_a1])
    client.force_login(world.user("staff"))
    later = (round_.closes_on + timedelta(days=5)).isoformat()
    client.post(
        reverse("rounds:extend", args=[round_.pk]), {"closes_on": later, "reason": "Herfst."}
    )
    round_.refresh_from_db()
    assert round_.closes_on.isoformat() == later and round_.notice == "Herfst."


# --- the page -------------------------------------------------------------------------------


def test_reopen_page_states_the_consequences_and_needs_its_confirmation(client, world, closed):
    client.force_login(world.user("staff"))
    url = reverse("rounds:reopen", args=[closed.pk])
    html = client.get(url).content.decode()
    assert "2 scholen die nog niet hadden ingediend, kunnen weer invullen" in html
    assert "1 ingediende zelfscan blijft ingediend." in html
    new_date = (timezone.localdate() + timedelta(days=10)).isoformat()
    data = {"closes_on": new_date, "reason": REASON}
    assert client.post(url, data)["Location"] == url  # no confirmation field: nothing
    closed.refresh_from_db()
    assert closed.status == Round.Status.CLOSED
    response = client.post(url, {**data, "reason": "", "confirm": "reopen"})
    assert "Dit veld is verplicht." in response.content.decode()
    closed.refresh_from_db()
    assert closed.status == Round.Status.CLOSED
    response = client.post(url, {**data, "confirm": "reopen"})
    assert response["Location"] == reverse("rounds:detail", args=[closed.pk])
    closed.refresh_from_db()
    assert closed.status == Round.Status.OPEN


def test_school_sees_the_reason_on_its_home_page_and_scan_overview(client, world, closed):
    reopen_round(
        round_=closed,
        by=world.user("staff"),
        closes_on=timezone.localdate() + timedelta(days=7),
        reason=REASON,
    )
    scan = Scan.objects.get(round=closed, school=world.school_a1)
    client.force_login(world.user("school"))
    home = client.get(reverse("core:home")).content.decode()
    assert REASON in home
    overview = client.get(reverse("scans:overview", args=[scan.pk])).content.decode()
    assert REASON in overview
