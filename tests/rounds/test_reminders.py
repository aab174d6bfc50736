"""Reminder e-mails: only invited schools that have not submitted, at most once a day, and only
to team members who can log in (never to the register's contact address)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from selfscan.accounts.models import Role
from selfscan.audit.models import AuditEvent
from selfscan.rounds.tasks import send_due_reminders, send_reminders
from selfscan.scans.models import Scan
from tests.celery_worker import real_worker as worker_on_redis
from tests.factories import SchoolFactory, UserFactory
from tests.scans.factories import make_round


@pytest.fixture
def reminder_round(world, version):
    no_team = SchoolFactory(name="Zonder team", contact_email="info@zonderteam.example.org")
    SchoolFactory(name="Niet uitgenodigd", contact_email="niet@example.org")
    UserFactory(email="ib@example.org", role=Role.SCHOOL, schools=[world.school_a1])
    invited_only = UserFactory(email="nieuw@example.org", role=Role.SCHOOL, schools=[no_team])
    invited_only.set_unusable_password()
    invited_only.save()
    UserFactory(email="weg@example.org", role=Role.SCHOOL, schools=[no_team], is_active=False)
    round_ = make_round(
        version=version, schools=[world.school_a1, world.school_b1, no_team], closes_in_days=7
    )
    Scan.objects.filter(round=round_, school=world.school_b1).update(status=Scan.Status.SUBMITTED)
    return round_


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_only_people_who_can_log_in_at_schools_that_have_not_submitted_get_a_reminder(
    reminder_round,
):
    result = send_reminders.delay(reminder_round.pk).get()
    assert result == {"round": reminder_round.pk, "sent": 1, "people": 2, "unreachable": 1}
    assert recipients() == ["ib@example.org", "school@example.org"]
    message = next(m for m in mail.outbox if "ib@example.org" in m.to)
    assert message.subject == "Herinnering: zelfscan Zelfscan test"
    assert "nog niet ingediend" in message.body
    assert "/zelfscan/" in message.body


def test_never_twice_on_the_same_day(reminder_round):
    send_reminders.delay(reminder_round.pk).get()
    assert len(mail.outbox) == 1
    again = send_reminders.delay(reminder_round.pk).get()
    assert again["sent"] == 0
    assert len(mail.outbox) == 1
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    send_reminders.delay(reminder_round.pk, tomorrow).get()
    assert len(mail.outbox) == 2
    # The school nobody can log in to is not claimed: it is reminded once someone can.
    assert dict(
        Scan.objects.filter(round=reminder_round)
        .exclude(status=Scan.Status.SUBMITTED)
        .values_list("school__name", "last_reminded_on")
    ) == {"De Eerste": timezone.localdate() + timedelta(days=1), "Zonder team": None}


def test_the_task_audits_what_it_really_sent(reminder_round):
    send_reminders.delay(reminder_round.pk).get()
    send_reminders.delay(reminder_round.pk).get()  # nothing left today: no second line
    events = AuditEvent.objects.filter(action="round.reminders_sent")
    assert [event.changes for event in events] == [{"scholen": 1, "personen": 2, "zonder_inlog": 1}]


def test_daily_schedule_sends_only_on_the_configured_day(reminder_round, settings):
    assert settings.CELERY_BEAT_SCHEDULE["rounds-send-due-reminders"]["task"] == (
        "rounds.send_due_reminders"
    )
    today = timezone.localdate()
    assert send_due_reminders.delay((today + timedelta(days=1)).isoformat()).get() == []
    assert mail.outbox == []
    assert send_due_reminders.delay(today.isoformat()).get() == [reminder_round.pk]
    assert recipients() == ["ib@example.org", "school@example.org"]


def test_staff_button_queues_reminders(client, world, reminder_round):
    # Nothing is written before the task is sent, so it is sent at once (not after commit): a
    # broker that is down is then reported on the page (tests/core/test_enqueue.py).
    client.force_login(world.user("staff"))
    response = client.post(reverse("rounds:remind", kwargs={"pk": reminder_round.pk}))
    assert response.status_code == 302
    assert recipients() == ["ib@example.org", "school@example.org"]


@pytest.fixture
def real_worker():
    with worker_on_redis(purge=True) as worker:
        yield worker


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_reminders_through_a_real_worker(reminder_round, real_worker):
    mail.outbox.clear()  # opening the round (before the worker started) sent invitations
    result = send_reminders.delay(reminder_round.pk).get(timeout=30)
    assert result == {"round": reminder_round.pk, "sent": 1, "people": 2, "unreachable": 1}
    assert recipients() == ["ib@example.org", "school@example.org"]
    assert send_reminders.delay(reminder_round.pk).get(timeout=30)["sent"] == 0
    assert len(mail.outbox) == 1
