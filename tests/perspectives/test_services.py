"""Writing team perspectives: own answers with versions, finishing, the school answer."""

import pytest

from selfscan.perspectives import services
from selfscan.perspectives.models import IndividualAnswer, TeamPerspective
from selfscan.results.aggregation import NORM, load_round, school_theme_frame
from selfscan.scans.models import Answer, Scan
from selfscan.scans.progress import applicable_statements
from selfscan.scans.services import ScanError, save_answer, submit_scan
from tests.perspectives.factories import answer_all, member, world_team_scan
from tests.scans.factories import world_scan

pytestmark = pytest.mark.django_db


def _statements(scan):
    return applicable_statements(scan.norm_version_id, scan.sector)


def test_a_round_without_perspectives_refuses_to_start(world):
    scan = world_scan(world)
    with pytest.raises(ScanError, match="teamperspectieven"):
        services.start_perspective(scan=scan, user=world.user("school"), function="ib")
    assert not TeamPerspective.objects.exists()


def test_an_unknown_function_is_refused(world):
    scan = world_team_scan(world)
    user = member(scan, "a@example.org", "Anna", "Aarts")
    with pytest.raises(ScanError, match="functie"):
        services.start_perspective(scan=scan, user=user, function="koning")
    assert not TeamPerspective.objects.filter(user=user).exists()


def test_own_answers_never_touch_the_school_answers(world):
    scan = world_team_scan(world)
    user = member(scan, "a@example.org", "Anna", "Aarts")
    answer_all(scan, user, "leerkracht", ["2"], comment="In mijn groep lukt dit niet.")
    assert IndividualAnswer.objects.filter(perspective__user=user).count() == len(_statements(scan))
    assert not Answer.objects.filter(scan=scan).exists()


def test_a_stale_version_of_ones_own_answer_is_a_conflict(world):
    scan = world_team_scan(world)
    perspective = TeamPerspective.objects.get(scan=scan, user=world.user("school"))
    perspective.scan = scan
    first = _statements(scan)[0]
    saved = services.save_individual_answer(
        perspective=perspective, statement_id=first.pk, value="3", expected_version=0
    )
    assert saved.status == "saved" and saved.answer.version == 1
    stale = services.save_individual_answer(
        perspective=perspective,
        statement_id=first.pk,
        value="1",
        expected_version=0,
        base={"value": "", "comment": "", "nvt_explanation": ""},
    )
    assert stale.conflict
    assert IndividualAnswer.objects.get(perspective=perspective, statement=first).value == "3"


def test_finishing_needs_every_statement(world):
    scan = world_team_scan(world)
    perspective = TeamPerspective.objects.get(scan=scan, user=world.user("school"))
    perspective.scan = scan
    with pytest.raises(ScanError, match="nog niet beantwoord"):
        services.finish_perspective(perspective=perspective)
    perspective.refresh_from_db()
    assert perspective.finished_at is None


def test_own_answers_freeze_when_the_scan_is_submitted(world):
    scan = world_team_scan(world)
    user = world.user("school")
    for st in _statements(scan):
        save_answer(scan=scan, statement_id=st.pk, by=user, value="3", expected_version=0)
    submit_scan(scan=scan, by=user)
    scan.refresh_from_db()
    perspective = TeamPerspective.objects.get(scan=scan, user=user)
    perspective.scan = scan
    with pytest.raises(ScanError, match="ingediend"):
        services.save_individual_answer(
            perspective=perspective,
            statement_id=_statements(scan)[0].pk,
            value="1",
            expected_version=0,
        )


def test_fixing_the_school_answer_keeps_the_conflict_protection(world):
    scan = world_team_scan(world)
    first = _statements(scan)[0]
    anna = member(scan, "a@example.org", "Anna", "Aarts")
    dirk = member(scan, "d@example.org", "Dirk", "Dam")
    entry = {
        "statement": first.pk,
        "value": "3",
        "comment": "",
        "nvt_explanation": "",
        "version": 0,
        "resolve": "",
        "base": {"value": "", "comment": "", "nvt_explanation": ""},
    }
    done = services.fix_school_answers(scan=scan, by=anna, entries=[entry])
    assert done.saved == 1 and not done.conflicts
    late = services.fix_school_answers(scan=scan, by=dirk, entries=[{**entry, "value": "2"}])
    assert first.pk in late.conflicts
    assert Answer.objects.get(scan=scan, statement=first).value == "3"


def test_results_follow_the_school_answers_only(world):
    scan = world_team_scan(world)
    teacher = member(scan, "a@example.org", "Anna", "Aarts")
    answer_all(scan, teacher, "leerkracht", ["1"])  # every own answer onvoldoende
    user = world.user("school")
    for st in _statements(scan):
        save_answer(scan=scan, statement_id=st.pk, by=user, value="4", expected_version=0)
    submit_scan(scan=scan, by=user)
    frame = school_theme_frame(load_round(scan.round_id), 85)
    row = frame[(frame["scan_id"] == scan.pk) & (frame["theme_id"] == NORM)].iloc[0]
    assert int(row["answered"]) == int(row["sufficient"]) == len(_statements(scan))
    assert Scan.objects.get(pk=scan.pk).status == Scan.Status.SUBMITTED
