"""Round invitations: sent when a round opens, to team members who can log in, once each."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from selfscan.accounts.models import Role
from selfscan.accounts.services import invite_user
from selfscan.audit.models import AuditEvent
from selfscan.mailings.models import SentMail
from selfscan.rounds.models import Round
from selfscan.rounds.notifications import can_log_in
from selfscan.rounds.services import open_due_rounds, open_round
from selfscan.rounds.tasks import send_pending_invitations, send_round_invitations
from selfscan.scans.models import Scan
from tests.celery_worker import real_worker as worker_on_redis
from tests.factories import SchoolFactory, UserFactory
from tests.scans.factories import make_round


@pytest.fixture
def people(world):
    """school@ (De Eerste) and andereschool@ (De Derde) can log in; others cannot."""
    UserFactory(email="ib@example.org", role=Role.SCHOOL, schools=[world.school_a1])
    UserFactory(
        email="weg@example.org", role=Role.SCHOOL, schools=[world.school_a2], is_active=False
    )
    invite_user(email="nieuw@example.org", role=Role.SCHOOL, schools=[world.school_a2], actor=None)
    mail.outbox.clear()  # the account invitation
    return world


def draft_round(version, world, opens_on=None):
    today = timezone.localdate()
    round_ = Round.objects.create(
        name="Zelfscan 2026-2027",
        version_po=version,
        version_vo=version,
        version_sv=version,
        opens_on=opens_on or today,
        closes_on=today + timedelta(days=40),
    )
    round_.invited_schools.set([world.school_a1, world.school_a2, world.school_b1])
    return round_


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_can_log_in_means_active_with_a_usable_password(people):
    assert can_log_in(people.user("school"))
    invited = people.user("school").__class__.objects.get(email="nieuw@example.org")
    assert not can_log_in(invited)
    inactive = invited.__class__.objects.get(email="weg@example.org")
    assert not can_log_in(inactive)


def test_opening_a_round_invites_each_person_who_can_log_in_after_commit(
    people, version, django_capture_on_commit_callbacks
):
    round_ = draft_round(version, people)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        open_round(round_=round_, by=people.user("staff"))
    # the invitations, and the round's first results in the background (decision 0210)
    assert len(callbacks) == 2
    assert recipients() == ["andereschool@example.org", "ib@example.org", "school@example.org"]
    message = next(m for m in mail.outbox if m.to == ["ib@example.org"])
    assert message.subject == "Uitnodiging: zelfscan Zelfscan 2026-2027"
    assert "De Eerste" in message.body
    assert "/zelfscan/" in message.body
    deadline = (timezone.localdate() + timedelta(days=40)).strftime("%Y")
    assert deadline in message.body
    event = AuditEvent.objects.get(action="round.invitations_sent")
    assert event.changes == {"personen": 3, "scholen": 2, "zonder_inlog": 1}


def test_invitations_go_out_once_per_person(people, version):
    round_ = make_round(version=version, schools=[people.school_a1, people.school_b1])
    assert send_round_invitations.delay(round_.pk).get()["sent"] == 3
    assert send_round_invitations.delay(round_.pk).get()["sent"] == 0
    assert len(mail.outbox) == 3
    assert SentMail.objects.filter(round=round_).count() == 3
    # Someone who can log in later gets theirs on the next run, and only they.
    UserFactory(email="later@example.org", role=Role.SCHOOL, schools=[people.school_b1])
    assert send_pending_invitations.delay().get() == [round_.pk]
    assert len(mail.outbox) == 4
    assert mail.outbox[-1].to == ["later@example.org"]


def test_a_failed_send_is_not_counted_as_sent(people, version, monkeypatch):
    round_ = make_round(version=version, schools=[people.school_b1])

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("selfscan.rounds.notifications.send_mail", broken)
    with pytest.raises(ConnectionRefusedError):
        send_round_invitations.delay(round_.pk).get()
    assert not SentMail.objects.exists()
    monkeypatch.undo()
    assert send_round_invitations.delay(round_.pk).get()["sent"] == 1
    assert recipients() == ["andereschool@example.org"]


def test_a_round_opens_when_the_broker_is_down_and_the_hourly_run_invites(
    people, version, monkeypatch, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    def down(*args, **kwargs):
        raise OperationalError("Connection refused.")

    round_ = draft_round(version, people)
    from selfscan.celery import app

    # A real broker that is down: not eager, and sending raises (core.tasks.enqueue).
    app.conf.task_always_eager = False
    try:
        with monkeypatch.context() as patch:
            patch.setattr("selfscan.rounds.tasks.send_round_invitations.delay", down)
            with django_capture_on_commit_callbacks(execute=True):
                assert open_round(round_=round_, by=None) == 3
    finally:
        app.conf.task_always_eager = True
    round_.refresh_from_db()
    assert round_.status == Round.Status.OPEN
    assert mail.outbox == []
    send_pending_invitations.delay().get()
    assert len(mail.outbox) == 3


def test_schools_that_submitted_get_no_invitation(people, version):
    round_ = make_round(version=version, schools=[people.school_a1, people.school_b1])
    Scan.objects.filter(round=round_, school=people.school_b1).update(status=Scan.Status.SUBMITTED)
    send_round_invitations.delay(round_.pk).get()
    assert recipients() == ["ib@example.org", "school@example.org"]


def test_a_round_that_is_not_open_sends_nothing_until_it_opens(people, version):
    round_ = draft_round(version, people, opens_on=timezone.localdate() + timedelta(days=5))
    assert send_round_invitations.delay(round_.pk).get()["sent"] == 0
    assert send_pending_invitations.delay().get() == []
    assert mail.outbox == []
    assert open_round(round_=round_, by=None) == 0  # scheduled: no scans, no mail yet
    assert send_pending_invitations.delay().get() == []
    assert mail.outbox == []
    open_due_rounds(on=round_.opens_on)  # the daily task on its date; the hourly run sends
    assert send_pending_invitations.delay().get() == [round_.pk]
    assert len(mail.outbox) == 3


def test_contact_address_without_account_gets_nothing(world, version):
    school = SchoolFactory(name="Zonder team", contact_email="info@zonderteam.example.org")
    round_ = make_round(version=version, schools=[school])
    assert send_round_invitations.delay(round_.pk).get() == {
        "round": round_.pk,
        "sent": 0,
        "schools": 0,
        "unreachable": 1,
    }
    assert mail.outbox == []


@pytest.fixture
def real_worker():
    with worker_on_redis(purge=True) as worker:
        yield worker


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_invitations_through_a_real_worker(people, version, real_worker):
    round_ = draft_round(version, people)
    open_round(round_=round_, by=None)  # enqueues on commit, to the worker
    # The solo worker runs tasks in order: the opening's run sent everything, this one nothing.
    again = send_round_invitations.delay(round_.pk).get(timeout=30)
    assert again == {"round": round_.pk, "sent": 0, "schools": 0, "unreachable": 1}
    assert recipients() == ["andereschool@example.org", "ib@example.org", "school@example.org"]
    assert SentMail.objects.filter(round=round_).count() == 3
