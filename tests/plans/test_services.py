"""Improvement actions without HTTP: validation, optimistic versions, audit, lineage, overview."""

import datetime as dt

import pytest

from selfscan.audit.models import AuditEvent
from selfscan.plans import selectors, services
from selfscan.plans.models import ImprovementAction
from tests.factories import UserFactory

S = ImprovementAction.Status


def _add(two_rounds, world, **values):
    base = {"what": "Scholing voor het team.", "status": S.PLANNED}
    base.update(values)
    return services.add_action(
        scan=two_rounds.scan, theme=two_rounds.theme, by=world.user("school"), **base
    )


def test_add_action_stores_every_field_and_audits_it(two_rounds, world):
    owner = world.user("school")
    action = _add(
        two_rounds,
        world,
        what="  Scholing voor het team.  ",
        owner_id=owner.pk,
        due_on=dt.date(2026, 3, 1),
        status=S.IN_PROGRESS,
        note="Met de adviseur.",
    )
    action.refresh_from_db()
    assert (action.what, action.owner, action.owner_name, action.due_on, action.status) == (
        "Scholing voor het team.",
        owner,
        "",
        dt.date(2026, 3, 1),
        S.IN_PROGRESS,
    )
    assert (action.version, action.created_by, action.note) == (1, owner, "Met de adviseur.")
    event = AuditEvent.objects.get(action="verbeteractie.toegevoegd")
    assert event.object_id == str(action.pk)
    assert event.changes["status"] == [None, "bezig"]
    assert event.changes["due_on"] == [None, "2026-03-01"]


def test_several_actions_per_theme(two_rounds, world):
    _add(two_rounds, world, what="Een")
    _add(two_rounds, world, what="Twee", owner_name="Werkgroep")
    assert [
        a.what
        for a in selectors.actions_for(world.user("school"), two_rounds.scan, two_rounds.theme)
    ] == [
        "Een",
        "Twee",
    ]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"what": "   "}, "Beschrijf wat de verbeteractie is."),
        ({"status": "klaar"}, "Kies een status"),
        ({"what": "x" * 2001}, "te lang"),
        ({"owner_name": "n" * 201}, "te lang"),
        ({"note": "a\x00b"}, "nul-tekens"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(two_rounds, world, values, message):
    with pytest.raises(services.ActionError, match=message):
        _add(two_rounds, world, **values)
    assert not ImprovementAction.objects.exists()
    assert not AuditEvent.objects.exists()


def test_owner_must_be_a_team_member_of_the_school(two_rounds, world):
    with pytest.raises(services.ActionError, match="team van de school"):
        _add(two_rounds, world, owner_id=world.user("other_school").pk)
    with pytest.raises(services.ActionError, match="team van de school"):
        _add(two_rounds, world, owner_id=world.user("board").pk)
    with pytest.raises(services.ActionError, match="niet allebei"):
        _add(two_rounds, world, owner_id=world.user("school").pk, owner_name="Piet")


def test_a_theme_of_another_version_is_refused(two_rounds, world):
    with pytest.raises(services.ActionError, match="hoort niet bij"):
        services.add_action(
            scan=two_rounds.scan, theme=two_rounds.zero_theme, by=world.user("school"), what="x"
        )


def test_update_with_the_loaded_version_saves_and_audits_old_and_new(two_rounds, world):
    action = _add(two_rounds, world)
    result = services.update_action(
        action=action, by=world.user("school"), expected_version=1, status=S.DONE
    )
    assert result.status == "saved"
    assert (result.action.status, result.action.version) == (S.DONE, 2)
    event = AuditEvent.objects.get(action="verbeteractie.gewijzigd")
    assert event.changes == {"status": ["gepland", "afgerond"]}


def test_update_with_a_stale_version_is_a_conflict_and_writes_nothing(two_rounds, world):
    action = _add(two_rounds, world)
    colleague = UserFactory(role="school", schools=[world.school_a1])
    services.update_action(action=action, by=colleague, expected_version=1, note="Haar notitie")
    result = services.update_action(
        action=action, by=world.user("school"), expected_version=1, note="Mijn notitie"
    )
    assert result.conflict
    assert (result.action.note, result.action.version, result.action.updated_by) == (
        "Haar notitie",
        2,
        colleague,
    )
    action.refresh_from_db()
    assert action.note == "Haar notitie"
    assert AuditEvent.objects.filter(action="verbeteractie.gewijzigd").count() == 1


def test_a_stale_version_with_the_same_values_is_no_conflict(two_rounds, world):
    action = _add(two_rounds, world)
    services.update_action(
        action=action, by=world.user("school"), expected_version=1, status=S.DONE
    )
    result = services.update_action(
        action=action, by=world.user("school"), expected_version=1, status=S.DONE
    )
    assert result.status == "unchanged"


def test_an_unchanged_save_writes_nothing(two_rounds, world):
    action = _add(two_rounds, world)
    result = services.update_action(action=action, by=world.user("school"), expected_version=1)
    assert (result.status, result.action.version) == ("unchanged", 1)
    assert not AuditEvent.objects.filter(action="verbeteractie.gewijzigd").exists()


def test_a_missing_version_is_refused(two_rounds, world):
    action = _add(two_rounds, world)
    with pytest.raises(services.ActionError, match="onvolledig"):
        services.update_action(action=action, by=world.user("school"), expected_version="x")


@pytest.mark.parametrize(
    ("status", "due", "overdue"),
    [
        (S.PLANNED, dt.date(2026, 1, 9), True),
        (S.IN_PROGRESS, dt.date(2026, 1, 9), True),
        (S.PLANNED, dt.date(2026, 1, 10), False),  # due today is not late
        (S.DONE, dt.date(2026, 1, 9), False),
        (S.DROPPED, dt.date(2026, 1, 9), False),
        (S.PLANNED, None, False),
    ],
)
def test_overdue_means_open_and_past_its_date(status, due, overdue):
    action = ImprovementAction(what="x", status=status, due_on=due)
    assert services.is_overdue(action, dt.date(2026, 1, 10)) is overdue


def test_last_years_theme_is_found_through_the_lineage(two_rounds):
    # N01 was renamed from T01: the statements' concept keys lead back to T01
    assert selectors.previous_theme_ids(two_rounds.theme, two_rounds.zero.version_po_id) == {
        two_rounds.zero_theme.pk
    }


def test_previous_actions_are_last_rounds_for_the_same_school_and_theme(two_rounds, world):
    user = world.user("school")
    kept = services.add_action(
        scan=two_rounds.zero_scan, theme=two_rounds.zero_theme, by=user, what="Vorig jaar"
    )
    other_theme = two_rounds.zero_scan.norm_version.themes.get(code="T02")
    services.add_action(scan=two_rounds.zero_scan, theme=other_theme, by=user, what="Ander thema")
    earlier, actions = selectors.previous_actions(user, two_rounds.scan, two_rounds.theme)
    assert earlier == two_rounds.zero_scan
    assert actions == [kept]
    # the first round has no previous round
    assert selectors.previous_actions(user, two_rounds.zero_scan, two_rounds.zero_theme) == (
        None,
        [],
    )


def test_previous_actions_respect_the_readers_scope(two_rounds, world):
    services.add_action(
        scan=two_rounds.zero_scan,
        theme=two_rounds.zero_theme,
        by=world.user("school"),
        what="Vorig jaar",
    )
    _earlier, actions = selectors.previous_actions(
        world.user("other_school"), two_rounds.scan, two_rounds.theme
    )
    assert actions == []


def test_school_overview_groups_by_round_and_marks_overdue(two_rounds, world):
    user = world.user("school")
    services.add_action(
        scan=two_rounds.zero_scan,
        theme=two_rounds.zero_theme,
        by=user,
        what="Te laat",
        due_on=dt.date(2025, 3, 1),
    )
    _add(two_rounds, world, what="Op tijd", due_on=dt.date(2026, 6, 1))
    groups = selectors.school_overview(user, world.school_a1, today=dt.date(2026, 1, 10))
    assert [g.round for g in groups] == [two_rounds.now, two_rounds.zero]
    assert [(line.action.what, line.overdue) for g in groups for line in g.lines] == [
        ("Op tijd", False),
        ("Te laat", True),
    ]
    assert [g.overdue for g in groups] == [0, 1]


def test_board_counts_per_theme_and_status_across_its_schools(two_rounds, world):
    user = world.user("school")
    _add(two_rounds, world, what="A", status=S.DONE)
    _add(two_rounds, world, what="B", status=S.PLANNED, due_on=dt.date(2026, 1, 1))
    scan_a2 = two_rounds.now.scans.get(school=world.school_a2)
    colleague = UserFactory(role="school", schools=[world.school_a2])
    services.add_action(scan=scan_a2, theme=two_rounds.theme, by=colleague, what="C")
    services.add_action(scan=scan_a2, theme=two_rounds.other_theme, by=colleague, what="D")
    services.add_action(scan=two_rounds.zero_scan, theme=two_rounds.zero_theme, by=user, what="Oud")
    counts = selectors.board_counts(
        world.user("board"), world.bestuur_a, today=dt.date(2026, 1, 10)
    )
    assert counts.round == two_rounds.now
    assert counts.rounds == [two_rounds.now, two_rounds.zero]
    assert [(r.code, r.counts, r.overdue, r.total) for r in counts.rows] == [
        ("N01", [2, 0, 1, 0], 1, 3),
        ("T02", [1, 0, 0, 0], 0, 1),
    ]
    assert [(s.name, n) for s, n in counts.schools] == [("De Eerste", 2), ("De Tweede", 2)]
    earlier = selectors.board_counts(world.user("board"), world.bestuur_a, two_rounds.zero.pk)
    assert [(r.code, r.total) for r in earlier.rows] == [("T01", 1)]
    # another bestuur's board sees none of it
    assert selectors.board_counts(world.user("other_board"), world.bestuur_a).rows == []
