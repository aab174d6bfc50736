"""`manage.py invite_user` (issue 14): an account with a role and scope, and an invitation;
--dry-run, --resend, and bad input refused in Dutch with nothing changed."""

from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from selfscan.accounts.models import Invitation, Role, User
from selfscan.audit.models import AuditEvent
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("invite_user", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def snapshot() -> tuple[Any, ...]:
    return (
        sorted(User.objects.values_list("email", "role")),
        Invitation.objects.count(),
        AuditEvent.objects.count(),
        len(mail.outbox),
    )


def test_school_team_member_by_vestigingscode(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        out = run("ib@example.org", "--role", "schoolteam", "--school", "11aa00")
    user = User.objects.get(email="ib@example.org")
    assert user.role == Role.SCHOOL and list(user.schools.all()) == [world.school_a1]
    assert not user.has_usable_password()
    assert "Schoolteam (De Eerste (11AA00))" in out
    assert "Uitnodiging verstuurd naar ib@example.org" in out
    assert [m.to for m in mail.outbox] == [["ib@example.org"]]
    assert AuditEvent.objects.get(action="gebruiker.uitgenodigd").actor_label == "systeem"


def test_school_by_brin_when_it_has_one_vestiging(world):
    run("dir@example.org", "--role", "school", "--school", "11AC")
    assert list(User.objects.get(email="dir@example.org").schools.all()) == [world.school_b1]


def test_board_staff_for_a_bestuur_by_number_or_name_as_a_staff_member(world):
    run("b1@example.org", "--role", "bestuur", "--bestuur", "41002", "--as", "swv@example.org")
    run("b2@example.org", "--role", "board", "--bestuur", "stichting alfa")
    assert list(User.objects.get(email="b1@example.org").besturen.all()) == [world.bestuur_b]
    assert list(User.objects.get(email="b2@example.org").besturen.all()) == [world.bestuur_a]
    event = AuditEvent.objects.filter(action="gebruiker.uitgenodigd").order_by("pk").first()
    assert event.actor == world.user("staff")


def test_staff_user_and_adviser_for_a_wijk(world):
    run("nieuw.swv@example.org", "--role", "swv", "--first-name", "Ans", "--last-name", "Bos")
    run("adv@example.org", "--role", "adviseur", "--wijk", "stad 2")
    staff = User.objects.get(email="nieuw.swv@example.org")
    assert staff.role == Role.STAFF and staff.get_full_name() == "Ans Bos"
    assert list(User.objects.get(email="adv@example.org").wijken.all()) == [world.wijk_b]


def test_dry_run_shows_the_account_and_changes_nothing(world, django_capture_on_commit_callbacks):
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        out = run("ib@example.org", "--role", "schoolteam", "--school", "11AA00", "--dry-run")
    assert "ib@example.org: Schoolteam (De Eerste (11AA00))" in out
    assert "Proefrun: er is niets opgeslagen" in out
    assert snapshot() == before


def test_resend_sends_a_new_invitation_and_the_old_link_stops(
    world, django_capture_on_commit_callbacks
):
    run("ib@example.org", "--role", "schoolteam", "--school", "11AA00")
    first = Invitation.objects.get()
    before = snapshot()
    run("ib@example.org", "--resend", "--dry-run")
    assert snapshot() == before
    with django_capture_on_commit_callbacks(execute=True):
        out = run("ib@example.org", "--resend")
    assert "Nieuwe uitnodiging verstuurd naar ib@example.org" in out
    assert Invitation.objects.count() == 2
    first.refresh_from_db()
    assert first.expires_at <= Invitation.objects.latest("pk").created_at


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x@example.org"], "Geef een rol op met --role"),
        (["x@example.org", "--role", "koning"], "Onbekende rol 'koning'"),
        (["x@example.org", "--role", "schoolteam"], "--school: Kies minstens één school"),
        (["x@example.org", "--role", "bestuur"], "--bestuur: Kies minstens één bestuur"),
        (["x@example.org", "--role", "adviseur"], "--wijk: Kies scholen of wijken"),
        (["geen-adres", "--role", "swv"], "e-mailadres: Voer een geldig e-mailadres in"),
        (["x@example.org", "--role", "school", "--school", "99ZZ00"], "Onbekende school '99ZZ00'"),
        (["x@example.org", "--role", "bestuur", "--bestuur", "1"], "Onbekend bestuur '1'"),
        (["x@example.org", "--role", "adviseur", "--wijk", "Nergens"], "Onbekende wijk 'Nergens'"),
        (["swv@example.org", "--role", "swv"], "(?s)Er bestaat al een account.*--resend"),
        (["x@example.org", "--resend"], "Er is geen account met e-mailadres x@example.org"),
        (["swv@example.org", "--resend", "--role", "swv"], "laat --role weg"),
        (["x@example.org", "--role", "swv", "--as", "bestuur@example.org"], "mag geen gebruikers"),
        (
            ["x@example.org", "--role", "beheerder", "--as", "swv@example.org"],
            "--role: Selecteer een geldige keuze",
        ),
        (
            ["admin@example.org", "--resend", "--as", "swv@example.org"],
            "mag admin@example.org niet",
        ),
    ],
)
def test_bad_input_is_refused_in_dutch_and_nothing_changes(world, args, message):
    before = snapshot()
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert snapshot() == before


def test_brin_with_two_vestigingen_asks_for_the_vestigingscode(world):
    SchoolFactory(vestigingscode="11AA01", bestuur=world.bestuur_a)
    with pytest.raises(CommandError, match="BRIN 11AA heeft meer dan één vestiging"):
        run("x@example.org", "--role", "school", "--school", "11AA")
    assert not User.objects.filter(email="x@example.org").exists()
