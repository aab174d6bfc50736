"""A whole year in miniature for the journey tests, built through the project's services.

Three themes with recognisable titles, an open round for the `world` schools plus a school whose
name looks like a spreadsheet formula, and helpers that answer and submit scans the way the
wizard does (`save_answer`, `submit_scan`), so results, dashboards and exports see real scans.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from selfscan.accounts.models import User
from selfscan.norms.models import NormVersion, Statement, Theme
from selfscan.organisations.models import School
from selfscan.rounds.models import Round
from selfscan.scans.models import Scan
from selfscan.scans.services import save_answer, submit_scan
from tests.factories import SchoolFactory, UserFactory, make_norm_version
from tests.scans.factories import make_round

THEME_TITLES = {
    "T01": "Dyslexie",
    "T02": "Rekenen en dyscalculie",
    "T03": "Sociaal-emotioneel leren",
}
STATEMENTS_PER_THEME = 4
# A school name a spreadsheet program would run as a formula if an export wrote it unguarded.
FORMULA_NAME = '=HYPERLINK("http://example.org","Klik")'


@dataclass
class Year:
    """The `world` (tests/conftest.py) plus an open round on a small norm version."""

    world: Any
    version: NormVersion
    round: Round
    themes: dict[str, Theme]
    formula_school: School
    formula_team: User

    def scan(self, school: School) -> Scan:
        return Scan.objects.get(round=self.round, school=school)

    def user(self, role: str) -> User:
        return self.world.user(role)


def build_year(world: Any, *, name: str = "Zelfscan 2025-2026") -> Year:
    version = make_norm_version(
        key="anb-reis",
        label="2025",
        themes=len(THEME_TITLES),
        statements_per_theme=STATEMENTS_PER_THEME,
        nvt_every=0,
    )
    themes = {}
    for theme in version.themes.all():
        theme.title = THEME_TITLES[theme.code]
        theme.save(update_fields=["title"])
        themes[theme.code] = theme
    formula_school = SchoolFactory(
        name=FORMULA_NAME, vestigingscode="11AD00", wijk=world.wijk_b, bestuur=world.bestuur_b
    )
    formula_team = UserFactory(
        email="formule@example.org", role=world.user("school").role, schools=[formula_school]
    )
    round_ = make_round(
        version=version,
        schools=[world.school_a1, world.school_a2, world.school_b1, formula_school],
        name=name,
    )
    return Year(world, version, round_, themes, formula_school, formula_team)


def values_by_theme(sufficient: Mapping[str, int]) -> dict[str, str]:
    """Answers by statement code: per theme the first `n` statements "3", the rest "2"."""
    answers = {}
    for code, n in sufficient.items():
        for i in range(1, STATEMENTS_PER_THEME + 1):
            answers[f"{code}.{i:02d}"] = "3" if i <= n else "2"
    return answers


def answer(scan: Scan, answers: Mapping[str, str], by: User) -> None:
    """Save answers through the service the wizard uses (new answers: expected version 0)."""
    statements = {s.code: s for s in Statement.objects.filter(version=scan.norm_version)}
    for code, value in answers.items():
        result = save_answer(
            scan=scan, statement_id=statements[code].pk, by=by, value=value, expected_version=0
        )
        assert result.status == "saved", (code, result.status)


def answer_and_submit(scan: Scan, answers: Mapping[str, str], by: User) -> Scan:
    answer(scan, answers, by)
    submitted, created = submit_scan(scan=scan, by=by)
    assert created
    return submitted
