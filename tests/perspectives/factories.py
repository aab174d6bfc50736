"""A world round with team perspectives, and helpers that answer as team members do."""

from typing import Any

from selfscan.accounts.models import Role, User
from selfscan.perspectives import services
from selfscan.perspectives.models import TeamPerspective
from selfscan.rounds.models import Round
from selfscan.scans.models import Scan
from selfscan.scans.progress import applicable_statements
from tests.factories import UserFactory, make_norm_version
from tests.scans.factories import make_round

TEAM_ROUND = "Zelfscan wereld met teamperspectieven"


def world_team_round(world: Any) -> Round:
    """An open round with team perspectives for the world's three schools (once per test
    database); the world's school user has started as intern begeleider."""
    existing = Round.objects.filter(name=TEAM_ROUND).first()
    if existing:
        return existing
    version = make_norm_version(key="team", themes=2, statements_per_theme=3)
    round_ = make_round(
        version=version,
        schools=[world.school_a1, world.school_a2, world.school_b1],
        name=TEAM_ROUND,
        opened=False,
    )
    Round.objects.filter(pk=round_.pk).update(team_perspectives=True)
    round_.refresh_from_db()
    from selfscan.rounds.services import open_round

    open_round(round_=round_, by=None)
    scan = Scan.objects.get(round=round_, school=world.school_a1)
    services.start_perspective(scan=scan, user=world.user("school"), function="ib")
    return round_


def world_team_scan(world: Any, school: Any = None) -> Scan:
    return Scan.objects.select_related("round", "norm_version").get(
        round=world_team_round(world), school=school or world.school_a1
    )


def member(scan: Scan, email: str, first: str, last: str) -> User:
    user = UserFactory(email=email, role=Role.SCHOOL, first_name=first, last_name=last)
    user.schools.add(scan.school)
    return User.objects.get(pk=user.pk)


def answer_all(
    scan: Scan, user: User, function: str, values: list[str], comment: str = ""
) -> TeamPerspective:
    """`user` starts as `function` and answers the scan's statements in order with `values`
    (repeated), the first with `comment`, then finishes."""
    perspective = services.start_perspective(scan=scan, user=user, function=function)
    perspective.scan = scan
    for i, st in enumerate(applicable_statements(scan.norm_version_id, scan.sector)):
        result = services.save_individual_answer(
            perspective=perspective,
            statement_id=st.pk,
            value=values[i % len(values)],
            comment=comment if i == 0 else "",
            expected_version=0,
        )
        assert result.status == "saved"
    return services.finish_perspective(perspective=perspective)
