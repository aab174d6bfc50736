"""User management: change role and links, deactivate, audited; who may change whom."""

import pytest
from django.urls import reverse

from selfscan.accounts import permissions as perms
from selfscan.accounts.models import Role
from selfscan.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_staff_changes_role_and_links_and_it_is_audited(client, world):
    target = world.user("school")
    client.force_login(world.user("staff"))
    response = client.post(
        reverse("accounts:user_edit", kwargs={"pk": target.pk}),
        {"role": Role.BOARD, "besturen": [world.bestuur_b.pk], "is_active": "on"},
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.role == Role.BOARD
    assert list(target.besturen.all()) == [world.bestuur_b]
    assert list(target.schools.all()) == []
    event = AuditEvent.objects.get(action="gebruiker.gewijzigd")
    assert event.actor == world.user("staff")
    assert event.changes["rol"] == ["Schoolteam", "Bestuur"]
    assert event.changes["schools"] == ["De Eerste (11AA00)", "–"]
    assert event.changes["besturen"] == ["–", "Stichting Beta"]
    # The change takes effect in the permission module at once.
    assert list(perms.visible_schools(target)) == [world.school_b1]


def test_deactivated_user_cannot_log_in_and_sees_nothing(client, world):
    target = world.user("school")
    client.force_login(world.user("staff"))
    client.post(
        reverse("accounts:user_edit", kwargs={"pk": target.pk}),
        {"role": Role.SCHOOL, "schools": [world.school_a1.pk]},
    )
    target.refresh_from_db()
    assert not target.is_active
    assert AuditEvent.objects.filter(action="gebruiker.gedeactiveerd").count() == 1
    assert perms.visible_schools(target).count() == 0
    client.logout()
    response = client.post(
        reverse("accounts:login"),
        {"username": target.email, "password": "correct-horse-battery-staple"},
    )
    assert response.status_code == 200 and not response.wsgi_request.user.is_authenticated


def test_user_list_filters_by_role_and_text(client, world):
    client.force_login(world.user("staff"))
    html = client.get(reverse("accounts:user_list"), {"rol": Role.BOARD}).content.decode()
    assert "bestuur@example.org" in html and "school@example.org" not in html
    html = client.get(reverse("accounts:user_list"), {"q": "adviseur"}).content.decode()
    assert "adviseur@example.org" in html and "bestuur@example.org" not in html


def test_can_change_user_rules(world):
    staff, admin = world.user("staff"), world.user("admin")
    assert perms.can_change_user(staff, world.user("school"))
    assert not perms.can_change_user(staff, admin)
    assert perms.can_change_user(admin, staff)
    assert not perms.can_change_user(admin, admin)
    assert not perms.can_change_user(world.user("board"), world.user("school"))


def test_visible_users_is_empty_outside_staff(world):
    assert perms.visible_users(world.user("board")).count() == 0
    assert perms.visible_users(world.user("staff")).count() == 7


def test_user_list_query_count_does_not_grow_with_users(
    client, world, django_assert_max_num_queries
):
    from tests.factories import UserFactory

    for _ in range(30):
        UserFactory(role=Role.SCHOOL, schools=[world.school_a2])
    client.force_login(world.user("staff"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("accounts:user_list"))
    assert response.content.decode().count("De Tweede") == 30
