"""A round opened before its opening date is scheduled ("gepland"); the daily beat task opens
it on its date; schools never see a future round first (issue 14)."""

from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from selfscan.audit.models import AuditEvent
from selfscan.rounds.models import Round
from selfscan.rounds.services import open_round
from selfscan.rounds.tasks import open_due_rounds
from selfscan.scans.models import Scan
from selfscan.scans.services import locked_reason
from tests.scans.factories import make_round

OPENS = date(2027, 9, 1)


def _future(world, version):
    round_ = make_round(
        version=version,
        schools=[world.school_a1, world.school_a2, world.school_b1],
        name="Zelfscan 2027-2028",
        opened=False,
    )
    Round.objects.filter(pk=round_.pk).update(opens_on=OPENS, closes_on=OPENS + timedelta(90))
    round_.refresh_from_db()
    return round_


def test_opening_before_the_date_schedules_without_scans(world, version):
    round_ = _future(world, version)
    assert open_round(round_=round_, by=world.user("staff")) == 0
    assert round_.status == Round.Status.SCHEDULED
    assert not Scan.objects.filter(round=round_).exists()
    assert AuditEvent.objects.get(action="round.scheduled").changes["invited"] == 3


def test_the_beat_task_opens_a_scheduled_round_on_its_date_once(world, version):
    round_ = _future(world, version)
    open_round(round_=round_, by=world.user("staff"))
    assert open_due_rounds.delay((OPENS - timedelta(days=1)).isoformat()).get() == []
    round_.refresh_from_db()
    assert round_.status == Round.Status.SCHEDULED
    assert open_due_rounds.delay(OPENS.isoformat()).get() == [round_.pk]
    round_.refresh_from_db()
    assert round_.status == Round.Status.OPEN
    assert Scan.objects.filter(round=round_).count() == 3
    assert AuditEvent.objects.filter(action="round.opened").count() == 1
    # a second run the same day (or a late one) does nothing
    assert open_due_rounds.delay((OPENS + timedelta(days=2)).isoformat()).get() == []
    assert Scan.objects.filter(round=round_).count() == 3


def test_the_beat_schedule_runs_the_opening_task():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "rounds.open_due_rounds" in tasks


def test_scheduled_round_is_shown_to_staff_as_scheduled_and_not_to_schools(client, world, version):
    round_ = _future(world, version)
    open_round(round_=round_, by=world.user("staff"))
    client.force_login(world.user("staff"))
    html = client.get(reverse("rounds:detail", args=[round_.pk])).content.decode()
    assert "Gepland: de meetronde opent vanzelf op 1 september 2027." in html
    assert "Gepland" in client.get(reverse("rounds:list")).content.decode()
    client.force_login(world.user("school"))
    assert "Zelfscan 2027-2028" not in client.get(reverse("core:home")).content.decode()
    assert "Zelfscan 2027-2028" not in client.get(reverse("scans:mine")).content.decode()


def test_scheduled_round_can_be_opened_by_staff_confirmation_page(client, world, version):
    round_ = _future(world, version)
    client.force_login(world.user("staff"))
    response = client.post(
        reverse("rounds:open", args=[round_.pk]), {"confirm": "open"}, follow=True
    )
    assert (
        "De meetronde is gepland en opent vanzelf op 1 september 2027." in response.content.decode()
    )


def test_an_open_round_before_its_opening_date_cannot_be_filled_in(world, version):
    """Rounds opened before scheduling existed may be open with a future date: locked."""
    round_ = make_round(version=version, schools=[world.school_a1])
    Round.objects.filter(pk=round_.pk).update(opens_on=OPENS, closes_on=OPENS + timedelta(90))
    scan = Scan.objects.select_related("round").get(round=round_)
    assert "opent op 1 september 2027" in locked_reason(scan, on=OPENS - timedelta(days=1))
    assert locked_reason(scan, on=OPENS) == ""


def test_school_home_shows_the_fillable_round_first(client, world, version):
    current = make_round(version=version, schools=[world.school_a1], name="Zelfscan nu")
    future = make_round(version=version, schools=[world.school_a1], name="Zelfscan straks")
    start = timezone.localdate() + timedelta(days=300)
    Round.objects.filter(pk=future.pk).update(opens_on=start, closes_on=start + timedelta(60))
    client.force_login(world.user("school"))
    html = client.get(reverse("core:home")).content.decode()
    assert html.index("Zelfscan nu: De Eerste") < html.index("Zelfscan straks: De Eerste")
    assert current.opens_on < start


def test_latest_progress_skips_a_scheduled_round(client, world, version):
    current = make_round(version=version, schools=[world.school_a1], name="Zelfscan nu")
    future = _future(world, version)
    open_round(round_=future, by=world.user("staff"))
    client.force_login(world.user("staff"))
    response = client.get(reverse("rounds:latest_progress"))
    assert response["Location"] == reverse("rounds:progress", args=[current.pk])
    client.force_login(world.user("board"))
    assert "Zelfscan 2027-2028" not in client.get(reverse("rounds:list")).content.decode()


def test_a_round_that_cannot_open_stays_scheduled_and_the_others_still_open(client, world, version):
    from selfscan.norms.models import NormVersion
    from tests.factories import make_norm_version

    broken = _future(world, version)
    open_round(round_=broken, by=world.user("staff"))
    other_version = make_norm_version(key="anders", themes=1, statements_per_theme=1)
    fine = make_round(
        version=other_version, schools=[world.school_a1], name="Andere ronde", opened=False
    )
    Round.objects.filter(pk=fine.pk).update(opens_on=OPENS, closes_on=OPENS + timedelta(30))
    open_round(round_=fine, by=world.user("staff"), on=OPENS - timedelta(days=1))
    NormVersion.objects.filter(pk=version.pk).update(status=NormVersion.Status.RETIRED)
    assert open_due_rounds.delay(OPENS.isoformat()).get() == [fine.pk]
    broken.refresh_from_db()
    assert broken.status == Round.Status.SCHEDULED
    assert not Scan.objects.filter(round=broken).exists()
    Round.objects.filter(pk=broken.pk).update(opens_on=timezone.localdate() - timedelta(days=1))
    client.force_login(world.user("staff"))
    html = client.get(reverse("rounds:detail", args=[broken.pk])).content.decode()
    assert "had al open moeten zijn" in html
