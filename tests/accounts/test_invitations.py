"""Invitations: e-mailed, single use, expiring, only a hash stored; bulk from the register."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from selfscan.accounts.models import Invitation, Role, User
from selfscan.accounts.services import INVITATION_DAYS, bulk_invite_schools, hash_token, invite_user
from selfscan.audit.models import AuditEvent
from selfscan.organisations.models import School

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Tulpenbol-Almere-2026"


def _invite(client, world, django_capture_on_commit_callbacks, email="nieuw@example.org"):
    client.force_login(world.user("staff"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:user_invite"),
            {"email": email, "role": Role.SCHOOL, "schools": [world.school_a1.pk]},
        )
    assert response.status_code == 302
    client.logout()
    link = re.search(r"https?://\S+/account/uitnodiging/\S+/", mail.outbox[-1].body).group(0)
    return link.split("/account/", 1)[1]


def _accept(client, path, password=NEW_PASSWORD):
    return client.post(
        "/account/" + path,
        {"first_name": "Nina", "last_name": "Nieuw", "password1": password, "password2": password},
    )


def test_invitation_mail_link_sets_name_and_password_once(
    client, world, django_capture_on_commit_callbacks
):
    path = _invite(client, world, django_capture_on_commit_callbacks)
    assert mail.outbox[-1].to == ["nieuw@example.org"]
    user = User.objects.get(email="nieuw@example.org")
    assert not user.has_usable_password()
    assert list(user.schools.all()) == [world.school_a1]
    token = path.split("/")[1]
    invitation = Invitation.objects.get(user=user)
    assert invitation.token_hash == hash_token(token) and token not in invitation.token_hash

    assert client.get("/account/" + path).status_code == 200
    response = _accept(client, path)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD) and user.get_full_name() == "Nina Nieuw"
    assert client.get(reverse("core:home")).wsgi_request.user == user  # logged in

    client.logout()
    assert client.get("/account/" + path).status_code == 404  # used: works once
    assert _accept(client, path, "Iets-Anders-2026").status_code == 404
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["gebruiker.uitgenodigd", "uitnodiging.verstuurd", "uitnodiging.aanvaard"]


def test_invitation_expires(client, world, django_capture_on_commit_callbacks):
    path = _invite(client, world, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get()
    assert invitation.expires_at - timezone.now() > datetime.timedelta(days=INVITATION_DAYS - 1)
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/account/" + path)
    assert response.status_code == 404
    assert "verlopen of al gebruikt" in response.content.decode()
    assert _accept(client, path).status_code == 404
    assert not User.objects.get(email="nieuw@example.org").has_usable_password()


def test_a_new_invitation_replaces_the_old_link(client, world, django_capture_on_commit_callbacks):
    first = _invite(client, world, django_capture_on_commit_callbacks)
    user = User.objects.get(email="nieuw@example.org")
    client.force_login(world.user("staff"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:user_reinvite", kwargs={"pk": user.pk}))
    client.logout()
    second = re.search(r"/account/(uitnodiging/\S+/)", mail.outbox[-1].body).group(1)
    assert client.get("/account/" + first).status_code == 404
    assert client.get("/account/" + second).status_code == 200


def test_weak_or_mismatched_password_is_refused_in_dutch(
    client, world, django_capture_on_commit_callbacks
):
    path = _invite(client, world, django_capture_on_commit_callbacks)
    html = _accept(client, path, "12345678").content.decode()
    assert "Controleer het formulier" in html
    response = client.post(
        "/account/" + path,
        {"first_name": "N", "last_name": "N", "password1": NEW_PASSWORD, "password2": "anders"},
    )
    assert "De twee wachtwoorden zijn niet gelijk." in response.content.decode()
    assert Invitation.objects.get().used_at is None


def test_duplicate_email_cannot_be_invited(client, world):
    client.force_login(world.user("staff"))
    response = client.post(
        reverse("accounts:user_invite"),
        {"email": world.user("school").email, "role": Role.STAFF},
    )
    assert "Er bestaat al een account met dit e-mailadres." in response.content.decode()


def test_school_role_needs_a_school(client, world):
    client.force_login(world.user("staff"))
    response = client.post(
        reverse("accounts:user_invite"), {"email": "x@example.org", "role": Role.SCHOOL}
    )
    assert "Kies minstens één school" in response.content.decode()
    assert not User.objects.filter(email="x@example.org").exists()


def test_bulk_invite_uses_register_contacts_and_skips_existing_accounts(
    world, django_capture_on_commit_callbacks
):
    School.objects.filter(pk=world.school_a1.pk).update(contact_email="Directie@Eerste.example")
    School.objects.filter(pk=world.school_a2.pk).update(contact_email=world.user("school").email)
    staff = world.user("staff")
    with django_capture_on_commit_callbacks(execute=True):
        result = bulk_invite_schools(schools=School.objects.exclude(contact_email=""), actor=staff)
    assert result.invited == ["directie@eerste.example"]
    assert len(result.skipped) == 1
    assert [m.to for m in mail.outbox] == [["directie@eerste.example"]]
    user = User.objects.get(email="directie@eerste.example")
    assert user.role == Role.SCHOOL and list(user.schools.all()) == [world.school_a1]
    again = bulk_invite_schools(schools=School.objects.exclude(contact_email=""), actor=staff)
    assert again.invited == []


def test_bulk_invite_page_lists_then_sends(client, world, django_capture_on_commit_callbacks):
    School.objects.filter(pk=world.school_b1.pk).update(contact_email="derde@example.org")
    client.force_login(world.user("staff"))
    html = client.get(reverse("accounts:user_bulk_invite")).content.decode()
    assert "derde@example.org" in html and "krijgt een uitnodiging" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:user_bulk_invite"), {"sector": ""})
    assert response.status_code == 302
    assert User.objects.get(email="derde@example.org").schools.get() == world.school_b1


def test_invite_user_service_links_an_adviser(world):
    user, token = invite_user(
        email="Adv@Example.org", role=Role.ADVISER, wijken=[world.wijk_b], actor=None
    )
    assert user.email == "adv@example.org" and list(user.wijken.all()) == [world.wijk_b]
    assert len(token) > 30


def test_bulk_invite_besturen_as_board_staff(client, world, django_capture_on_commit_callbacks):
    world.bestuur_b.contact_email = "Bureau@Beta.example"
    world.bestuur_b.save()
    client.force_login(world.user("staff"))
    html = client.get(reverse("accounts:user_bulk_invite"), {"kind": "besturen"}).content.decode()
    assert "bureau@beta.example" in html.lower() and "Stichting Beta" in html
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:user_bulk_invite"), {"kind": "besturen"})
    user = User.objects.get(email="bureau@beta.example")
    assert user.role == Role.BOARD and list(user.besturen.all()) == [world.bestuur_b]
    assert mail.outbox[-1].to == ["bureau@beta.example"]
