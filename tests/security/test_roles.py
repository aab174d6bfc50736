"""Partnership staff manage accounts, but only an administrator hands out the admin role."""

from typing import Any

import pytest
from django.urls import reverse

from selfscan.accounts.models import Role, User
from selfscan.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_staff_cannot_invite_an_administrator(client: Any, world: Any) -> None:
    client.force_login(world.user("staff"))
    response = client.post(
        reverse("accounts:user_invite"),
        {"email": "nieuw@example.org", "role": Role.ADMIN},
    )
    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    assert not User.objects.filter(email="nieuw@example.org").exists()


def test_staff_cannot_promote_a_user_to_administrator(client: Any, world: Any) -> None:
    target = world.user("board")
    before = AuditEvent.objects.count()
    client.force_login(world.user("staff"))
    response = client.post(
        reverse("accounts:user_edit", args=[target.pk]),
        {"role": Role.ADMIN, "is_active": "on", "besturen": [b.pk for b in target.besturen.all()]},
    )
    assert response.status_code == 200
    target.refresh_from_db()
    assert target.role == Role.BOARD
    assert AuditEvent.objects.count() == before


def test_staff_form_does_not_offer_the_admin_role(client: Any, world: Any) -> None:
    client.force_login(world.user("staff"))
    form = client.get(reverse("accounts:user_invite")).context["form"]
    assert Role.ADMIN not in dict(form.fields["role"].choices)


def test_administrator_may_still_grant_the_admin_role(client: Any, world: Any) -> None:
    target = world.user("staff")
    client.force_login(world.user("admin"))
    response = client.post(
        reverse("accounts:user_edit", args=[target.pk]), {"role": Role.ADMIN, "is_active": "on"}
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.role == Role.ADMIN


def test_a_demoted_administrator_loses_admin_rights(client: Any, world: Any) -> None:
    from selfscan.accounts import permissions as perms

    target = User.objects.create_superuser("tweede-beheerder@example.org", "x" * 12)
    assert target.is_staff and perms.is_admin(target)
    client.force_login(world.user("admin"))
    response = client.post(
        reverse("accounts:user_edit", args=[target.pk]), {"role": Role.STAFF, "is_active": "on"}
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.role == Role.STAFF
    assert not perms.is_admin(target)
    assert not (target.is_superuser or target.is_staff)
    client.force_login(target)
    assert client.get("/beheer/django/").status_code == 302  # the Django admin sends to login


def test_a_deactivated_user_cannot_reactivate_through_an_open_invitation(
    client: Any, world: Any
) -> None:
    from selfscan.accounts import services

    user, token = services.invite_user(
        email="tijdelijk@example.org",
        role=Role.SCHOOL,
        schools=[world.school_a1],
        actor=world.user("staff"),
    )
    client.force_login(world.user("staff"))
    client.post(
        reverse("accounts:user_edit", args=[user.pk]),
        {"role": Role.SCHOOL, "schools": [world.school_a1.pk]},  # is_active unticked
    )
    user.refresh_from_db()
    assert not user.is_active
    client.logout()
    url = reverse("accounts:invitation_accept", args=[token])
    response = client.post(
        url,
        {
            "first_name": "T",
            "last_name": "Ijdelijk",
            "password1": "een-lang-wachtwoord-42",
            "password2": "een-lang-wachtwoord-42",
        },
    )
    assert response.status_code == 404
    user.refresh_from_db()
    assert not user.is_active
    assert "_auth_user_id" not in client.session
