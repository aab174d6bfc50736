"""The hand-computed ten-school round (see test_fixture_indicators.py for the figures)."""

from dataclasses import dataclass
from typing import Any

import pytest

from selfscan.norms.models import NormVersion, Statement
from selfscan.organisations.models import Bestuur, School, Stadsdeel, Wijk
from selfscan.rounds.models import Round
from selfscan.scans.models import Scan
from tests.factories import (
    BestuurFactory,
    SchoolFactory,
    StadsdeelFactory,
    WijkFactory,
    make_norm_version,
)
from tests.results.factories import answers_for, make_round, make_scan

# T01 has 6 counting statements plus T01.07, a streefniveau statement that must not count.
SIZES = {"T01": 6, "T02": 7, "T03": 7}

# (sufficient, insufficient, n.v.t.) per theme; wijk and bestuur of the round's snapshot.
SCHOOLS: dict[str, dict[str, Any]] = {
    "S1": {"wijk": "W1", "bestuur": "B1", "T01": (6, 0, 0), "T02": (5, 2, 0), "T03": (6, 1, 0)},
    "S2": {"wijk": "W1", "bestuur": "B1", "T01": (6, 0, 0), "T02": (5, 2, 0), "T03": (5, 1, 1)},
    "S3": {"wijk": "W1", "bestuur": "B2", "T01": (6, 0, 0), "T02": (7, 0, 0), "T03": (0, 0, 7)},
    "S4": {"wijk": "W2", "bestuur": "B1", "T01": (6, 0, 0), "T02": (7, 0, 0), "T03": (7, 0, 0)},
    "S5": {"wijk": "W2", "bestuur": "B2", "T01": (3, 3, 0), "T02": (4, 3, 0), "T03": (4, 3, 0)},
    # S6 moved from W2 to W3 in the register after the round opened.
    "S6": {"wijk": "W2", "bestuur": "B2", "T01": (6, 0, 0), "T02": (6, 1, 0), "T03": (7, 0, 0)},
    "S7": {"wijk": "W3", "bestuur": "B1", "T01": (5, 1, 0), "T02": (7, 0, 0), "T03": (6, 1, 0)},
    "S8": {"wijk": "W3", "bestuur": "B2", "T01": (2, 4, 0), "T02": (3, 4, 0), "T03": (2, 5, 0)},
    "S9": {"wijk": "W3", "bestuur": "B1", "T01": (6, 0, 0), "T02": (7, 0, 0), "T03": (5, 2, 0)},
    # S10 is invited but has not submitted: its (all sufficient) answers must not count.
    "S10": {"wijk": "W3", "bestuur": "B2", "T01": (6, 0, 0), "T02": (7, 0, 0), "T03": (7, 0, 0)},
}


@dataclass
class TenSchools:
    version: NormVersion
    round: Round
    schools: dict[str, School]
    scans: dict[str, Scan]
    wijken: dict[str, Wijk]
    stadsdelen: dict[str, Stadsdeel]
    besturen: dict[str, Bestuur]


def make_fixture_version(label: str = "2025") -> NormVersion:
    version = make_norm_version(key="fixture", label=label, themes=3, statements_per_theme=7)
    Statement.objects.filter(version=version, code="T01.07").update(counts_for_norm=False)
    Statement.objects.filter(version=version, theme__code="T03").update(nvt_allowed=True)
    return version


@pytest.fixture
def ten_schools(db: Any) -> TenSchools:
    version = make_fixture_version()
    stadsdelen = {"A": StadsdeelFactory(name="Stad Oost"), "B": StadsdeelFactory(name="Buiten")}
    wijken = {
        "W1": WijkFactory(name="Stad 1", stadsdeel=stadsdelen["A"]),
        "W2": WijkFactory(name="Stad 2", stadsdeel=stadsdelen["A"]),
        "W3": WijkFactory(name="Buiten 1", stadsdeel=stadsdelen["B"]),
    }
    besturen = {
        "B1": BestuurFactory(name="Stichting Een", bevoegd_gezag_nummer="42001"),
        "B2": BestuurFactory(name="Stichting Twee", bevoegd_gezag_nummer="42002"),
    }
    round_ = make_round(version)
    schools: dict[str, School] = {}
    scans: dict[str, Scan] = {}
    for number, (name, spec) in enumerate(SCHOOLS.items(), start=1):
        school = SchoolFactory(
            name=f"School {name}",
            vestigingscode=f"{20 + number:02d}XY00",
            wijk=wijken[spec["wijk"]],
            bestuur=besturen[spec["bestuur"]],
        )
        answers = answers_for({t: spec[t] for t in SIZES}, SIZES)
        answers["T01.07"] = "1"  # streefniveau
        status = Scan.Status.IN_PROGRESS if name == "S10" else Scan.Status.SUBMITTED
        scans[name] = make_scan(round_, school, answers, status=status)
        schools[name] = school
    schools["S6"].wijk = wijken["W3"]
    schools["S6"].save()
    return TenSchools(version, round_, schools, scans, wijken, stadsdelen, besturen)
