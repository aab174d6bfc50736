"""Reminders are confirmed first (GET says who gets what, POST sends), for a round or one school."""

import pytest
from django.core import mail
from django.urls import reverse

from selfscan.accounts.models import Role
from selfscan.scans.models import Scan
from tests.factories import SchoolFactory, UserFactory
from tests.scans.factories import make_round


@pytest.fixture
def round_(world, version):
    """De Eerste: school@ and ib@ can log in. De Derde submitted. Zonder team: nobody."""
    UserFactory(email="ib@example.org", role=Role.SCHOOL, schools=[world.school_a1])
    no_team = SchoolFactory(name="Zonder team", contact_email="info@zonderteam.example.org")
    round_ = make_round(version=version, schools=[world.school_a1, world.school_b1, no_team])
    Scan.objects.filter(round=round_, school=world.school_b1).update(status=Scan.Status.SUBMITTED)
    return round_


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_preview_says_how_many_get_a_reminder_and_sends_nothing(client, world, round_):
    client.force_login(world.user("staff"))
    response = client.get(reverse("rounds:remind", args=[round_.pk]))
    html = response.content.decode()
    assert "1 school, 2 personen krijgen een herinnering." in html
    assert "1 school heeft niemand die kan inloggen en krijgt niets." in html
    assert "Herinnering sturen aan 2 personen" in html
    assert "Zonder team" in html
    assert mail.outbox == []


def test_post_sends_to_people_who_can_log_in(
    client, world, round_, django_capture_on_commit_callbacks
):
    client.force_login(world.user("staff"))
    url = reverse("rounds:remind", args=[round_.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert recipients() == ["ib@example.org", "school@example.org"]
    html = client.get(url).content.decode()
    assert "Niemand krijgt nu een herinnering." in html
    assert "1 school kreeg vandaag al een herinnering." in html
    assert "Herinnering sturen aan" not in html  # nothing to send: no button


def test_one_school_reminder_from_the_progress_page(
    client, world, round_, django_capture_on_commit_callbacks
):
    other = UserFactory(email="tweede@example.org", role=Role.SCHOOL, schools=[world.school_a2])
    round_.invited_schools.add(world.school_a2)
    scan_a2 = Scan.objects.create(
        round=round_,
        school=world.school_a2,
        norm_version=round_.version_po,
        sector=world.school_a2.sector,
        bestuur=world.school_a2.bestuur,
    )
    client.force_login(world.user("staff"))
    progress = client.get(reverse("rounds:progress", args=[round_.pk])).content.decode()
    url = reverse("rounds:remind_school", args=[scan_a2.pk])
    assert url in progress
    assert "1 school, 1 persoon krijgen een herinnering." in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert recipients() == [other.email]
    response = client.post(url, follow=True)
    assert "Vandaag is al een herinnering verstuurd." in response.content.decode()
    assert len(mail.outbox) == 1


def test_a_school_nobody_can_log_in_to_cannot_be_reminded(client, world, round_):
    scan = Scan.objects.get(round=round_, school__name="Zonder team")
    client.force_login(world.user("staff"))
    url = reverse("rounds:remind_school", args=[scan.pk])
    assert "1 school heeft niemand die kan inloggen" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert "Er is niemand die nu een herinnering kan krijgen." in response.content.decode()
    assert mail.outbox == []


def test_reminders_only_for_an_open_round(client, world, round_):
    round_.status = round_.Status.CLOSED
    round_.save()
    client.force_login(world.user("staff"))
    response = client.get(reverse("rounds:remind", args=[round_.pk]), follow=True)
    assert "Herinneringen kunnen alleen voor een open meetronde." in response.content.decode()


def test_board_staff_may_not_send_reminders(client, world, round_):
    client.force_login(world.user("board"))
    assert client.get(reverse("rounds:remind", args=[round_.pk])).status_code == 403
    scan = Scan.objects.get(round=round_, school=world.school_a1)
    assert client.post(reverse("rounds:remind_school", args=[scan.pk])).status_code == 403
    assert mail.outbox == []


def test_preview_keeps_a_fixed_number_of_queries(
    client, world, version, django_assert_max_num_queries
):
    schools = [SchoolFactory() for _ in range(40)]
    for school in schools[::2]:
        UserFactory(role=Role.SCHOOL, schools=[school])
    round_ = make_round(version=version, schools=schools, name="Veertig")
    client.force_login(world.user("staff"))
    with django_assert_max_num_queries(9):
        response = client.get(reverse("rounds:remind", args=[round_.pk]))
    assert "20 scholen, 20 personen krijgen een herinnering." in response.content.decode()


@pytest.mark.django_db(transaction=True)  # the enqueue runs at a real commit, in the request
def test_broker_down_says_nothing_was_sent_instead_of_a_500(client, world, round_, monkeypatch):
    from kombu.exceptions import OperationalError

    def down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    from selfscan.audit.models import AuditEvent
    from selfscan.celery import app

    monkeypatch.setattr("selfscan.rounds.tasks.send_reminders.delay", down)
    mail.outbox.clear()  # the invitations sent when the fixture opened the round
    client.force_login(world.user("staff"))
    app.conf.task_always_eager = False  # a real broker, and it is down
    try:
        response = client.post(reverse("rounds:remind", args=[round_.pk]), follow=True)
    finally:
        app.conf.task_always_eager = True
    assert response.status_code == 200
    assert "De achtergronddienst is nu niet bereikbaar" in response.content.decode()
    assert mail.outbox == []
    assert not AuditEvent.objects.filter(action__startswith="round.reminders").exists()
