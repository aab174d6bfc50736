"""Fixtures for import tests: a norm version, a closed round with invited schools, and answers
to write into files in any layout or format."""

from dataclasses import dataclass
from typing import Any

import pytest

from selfscan.norms.models import NormVersion, Statement
from selfscan.organisations.models import School, Sector
from selfscan.rounds.models import Round
from selfscan.scans.models import Answer
from tests.factories import BestuurFactory, SchoolFactory, WijkFactory, make_norm_version
from tests.imports.factories import make_round

LABELS = {"1": "Onvoldoende", "2": "Matig / in ontwikkeling", "3": "Voldoende", "4": "Goed"}


@dataclass
class Setup:
    version: NormVersion
    round: Round
    schools: list[School]
    statements: list[Statement]

    @property
    def codes(self) -> list[str]:
        return [s.code for s in self.statements]


def make_setup(n_schools: int = 4, *, status: str = Round.Status.CLOSED, **norm: Any) -> Setup:
    version = make_norm_version(**norm)
    bestuur = BestuurFactory()
    wijken = [WijkFactory(name="Stad 1"), WijkFactory(name="Haven")]
    schools = [
        SchoolFactory(bestuur=bestuur, wijk=wijken[i % 2], sector=Sector.PO)
        for i in range(n_schools)
    ]
    round = make_round(schools=schools, po=version, status=status)
    statements = list(version.statements.order_by("theme__order", "order"))
    return Setup(version, round, schools, statements)


@pytest.fixture
def setup(db: Any) -> Setup:
    return make_setup()


def sample_answers(
    setup: Setup, *, complete_all: bool = False
) -> dict[tuple[str, str], tuple[str, str]]:
    """Deterministic answers: (vestigingscode, code) -> (value, comment). The last school leaves
    two statements open unless `complete_all`."""
    answers = {}
    for s_index, school in enumerate(setup.schools):
        for index, statement in enumerate(setup.statements):
            last = s_index == len(setup.schools) - 1
            if last and not complete_all and index in (1, 2):
                continue
            if statement.nvt_allowed and (s_index + index) % 3 == 0:
                value = "NVT"
            else:
                value = str(1 + (s_index * 7 + index * 3) % 4)
            comment = (
                f"Geëvalueerd, één keer: {school.vestigingscode} {statement.code}"
                if index == 0
                else ""
            )
            answers[(school.vestigingscode, statement.code)] = (value, comment)
    return answers


def spell(value: str, labels: bool) -> str:
    if not labels:
        return value
    return "n.v.t." if value == "NVT" else LABELS[value]


def wide_rows(setup: Setup, answers: dict, *, labels: bool = False) -> list[list[str]]:
    first = setup.codes[0]
    rows = [["vestigingscode", "naam", *setup.codes, f"{first} toelichting"]]
    for school in setup.schools:
        values = []
        for code in setup.codes:
            value = answers.get((school.vestigingscode, code))
            values.append(spell(value[0], labels) if value else "")
        comment = answers.get((school.vestigingscode, first), ("", ""))[1]
        rows.append([school.vestigingscode, school.name, *values, comment])
    return rows


def long_rows(setup: Setup, answers: dict, *, labels: bool = False) -> list[list[str]]:
    rows = [["vestigingscode", "stelling", "antwoord", "toelichting"]]
    for (school, code), (value, comment) in answers.items():
        rows.append([school, code, spell(value, labels), comment])
    return rows


def stored(round: Round) -> set[tuple[str, str, str, str]]:
    return set(
        Answer.objects.filter(scan__round=round).values_list(
            "scan__school__vestigingscode", "statement__code", "value", "comment"
        )
    )


def expected(answers: dict) -> set[tuple[str, str, str, str]]:
    return {(school, code, value, comment) for (school, code), (value, comment) in answers.items()}
