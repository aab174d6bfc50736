"""The permission module, proven per role on the shared `world` (tests/conftest.py)."""

import datetime

import pytest

from selfscan.accounts import permissions as perms
from selfscan.accounts.models import Role
from selfscan.rounds.models import Round
from selfscan.scans.models import Scan
from tests.factories import UserFactory, make_norm_version

pytestmark = pytest.mark.django_db

# role -> the names of the world's schools it may see
SCHOOLS = {
    "school": {"De Eerste"},
    "other_school": {"De Derde"},
    "board": {"De Eerste", "De Tweede"},
    "other_board": {"De Derde"},
    "adviser": {"De Eerste"},  # wijk Stad 1
    "staff": {"De Eerste", "De Tweede", "De Derde"},
    "admin": {"De Eerste", "De Tweede", "De Derde"},
}


@pytest.mark.parametrize("role", sorted(SCHOOLS))
def test_visible_schools_per_role(world, role):
    user = world.user(role)
    assert {s.name for s in perms.visible_schools(user)} == SCHOOLS[role]
    for school in (world.school_a1, world.school_a2, world.school_b1):
        assert perms.can_view_school(user, school) == (school.name in SCHOOLS[role])


@pytest.mark.parametrize(
    ("role", "besturen"),
    [
        ("school", set()),
        ("board", {"Stichting Alfa"}),
        ("other_board", {"Stichting Beta"}),
        ("adviser", set()),
        ("staff", {"Stichting Alfa", "Stichting Beta"}),
    ],
)
def test_visible_besturen_and_can_view_bestuur(world, role, besturen):
    user = world.user(role)
    assert {b.name for b in perms.visible_besturen(user)} == besturen
    assert perms.can_view_bestuur(user, world.bestuur_a) == ("Stichting Alfa" in besturen)


def test_anonymous_and_inactive_users_see_nothing(world, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert perms.visible_schools(AnonymousUser()).count() == 0
    inactive = world.user("staff")
    inactive.is_active = False
    inactive.save()
    assert perms.visible_schools(inactive).count() == 0
    assert not perms.is_partnership_staff(inactive)
    assert not perms.can_manage_register(inactive)


def test_adviser_sees_assigned_schools_and_wijken(world):
    adviser = UserFactory(role=Role.ADVISER, schools=[world.school_b1], wijken=[world.wijk_a])
    assert {s.name for s in perms.visible_schools(adviser)} == {"De Eerste", "De Derde"}
    assert not perms.can_manage_users(adviser)


def test_staff_only_predicates(world):
    for role in ("school", "other_school", "board", "other_board", "adviser"):
        user = world.user(role)
        assert not perms.can_manage_register(user)
        assert not perms.can_manage_users(user)
        assert not perms.can_view_audit_log(user)
    for role in ("staff", "admin"):
        user = world.user(role)
        assert perms.can_manage_register(user) and perms.can_manage_users(user)
        assert perms.can_view_audit_log(user)


def _world_scans(world, **round_fields) -> dict[str, Scan]:
    """A round (1 January to 1 March 2026) with a scan for each of the world's three schools,
    by school name."""
    round_ = Round.objects.create(
        name="2026",
        opens_on=datetime.date(2026, 1, 1),
        closes_on=datetime.date(2026, 3, 1),
        **round_fields,
    )
    version = make_norm_version()
    return {
        school.name: Scan.objects.create(
            round=round_,
            school=school,
            norm_version=version,
            sector=school.sector,
            wijk=school.wijk,
            bestuur=school.bestuur,
        )
        for school in (world.school_a1, world.school_a2, world.school_b1)
    }


def test_scans_follow_the_school_scope_and_only_the_team_edits(world):
    scans = _world_scans(world)
    for role, names in SCHOOLS.items():
        user = world.user(role)
        assert {s.school.name for s in perms.visible_scans(user)} == names, role
    assert perms.can_edit_scan(world.user("school"), scans["De Eerste"])
    assert not perms.can_edit_scan(world.user("school"), scans["De Derde"])
    assert not perms.can_edit_scan(world.user("board"), scans["De Eerste"])
    assert not perms.can_edit_scan(world.user("staff"), scans["De Eerste"])


def test_the_autosaves_scan_lookup_is_the_school_teams_rule(world, django_assert_num_queries):
    """`team_scan_for_autosave` (plain SQL) answers as `visible_scans` does for a school user,
    and None for every other role, a missing scan and a deactivated account."""
    scans = list(_world_scans(world, status=Round.Status.OPEN).values())
    round_, version = scans[0].round, scans[0].norm_version
    imported = datetime.datetime(2026, 2, 1, 9, 30, tzinfo=datetime.UTC)
    Scan.objects.filter(pk=scans[0].pk).update(imported_at=imported)
    for role in SCHOOLS:
        user = world.user(role)
        for scan in scans:
            found = perms.team_scan_for_autosave(user, scan.pk)
            allowed = role in {"school", "other_school"} and (
                perms.visible_scans(user).filter(pk=scan.pk).exists()
            )
            assert (found is not None) == allowed, (role, scan.school.name)
    mine = world.user("school")
    with django_assert_num_queries(1):
        found = perms.team_scan_for_autosave(mine, scans[0].pk)
        # what a save reads is loaded, converted as the ORM converts it
        assert (found.pk, found.school_id, found.norm_version_id) == (
            scans[0].pk,
            world.school_a1.pk,
            version.pk,
        )
        assert (found.sector, found.status) == (scans[0].sector, Scan.Status.NOT_STARTED)
        assert found.imported_at == imported  # aware, on SQLite too
        assert found.round.pk == round_.pk and found.round.status == Round.Status.OPEN
        assert (found.round.opens_on, found.round.closes_on) == (
            datetime.date(2026, 1, 1),
            datetime.date(2026, 3, 1),
        )
    assert perms.team_scan_for_autosave(mine, max(s.pk for s in scans) + 1) is None
    mine.is_active = False
    mine.save()
    assert perms.team_scan_for_autosave(mine, scans[0].pk) is None


def test_visible_imports_own_uploads_and_applied_history_for_staff_only(world):
    from selfscan.imports.models import RoundImport
    from tests.scans.factories import make_round

    round_ = make_round(version=make_norm_version(key="imp"), schools=[world.school_a1])
    staff = world.user("staff")
    colleague = UserFactory(email="collega@example.org", role=Role.STAFF)

    def upload(by, status, name):
        return RoundImport.objects.create(
            round=round_, status=status, file_name=name, sha256=name, uploaded_by=by
        )

    upload(staff, RoundImport.Status.CHECKED, "mine")
    upload(colleague, RoundImport.Status.CHECKED, "theirs-pending")
    upload(colleague, RoundImport.Status.APPLIED, "theirs-applied")
    names = set(perms.visible_imports(staff).values_list("file_name", flat=True))
    assert names == {"mine", "theirs-applied"}
    for role in ("school", "board", "adviser"):
        assert not perms.visible_imports(world.user(role)).exists()
