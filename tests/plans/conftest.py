"""Two rounds of one school on two norm versions: the 0-meting (published) and the open round,
whose first theme was renamed (code N01), so last year's theme is found through the lineage."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from selfscan.norms.models import Theme
from selfscan.rounds.models import Round
from selfscan.scans.models import Scan
from tests.factories import make_norm_version
from tests.results.factories import make_round, make_scan


@dataclass
class TwoRounds:
    zero: Round
    now: Round
    zero_scan: Scan
    scan: Scan
    zero_theme: Theme  # T01 of the 0-meting's version
    theme: Theme  # N01 of the open round's version, continuing T01
    other_theme: Theme  # T02 of the open round's version


@pytest.fixture
def two_rounds(world: Any) -> TwoRounds:
    v1 = make_norm_version(key="plan", label="2024", themes=2, statements_per_theme=2)
    v2 = make_norm_version(key="plan", label="2025", themes=2, statements_per_theme=2, previous=v1)
    Theme.objects.filter(version=v2, code="T01").update(code="N01", title="Nieuw thema")
    zero = make_round(
        v1, name="0-meting", status=Round.Status.PUBLISHED, opens_on=dt.date(2024, 10, 1)
    )
    now = make_round(v2, name="Meting 2025", status=Round.Status.OPEN, previous=zero)
    zero_scan = make_scan(zero, world.school_a1, {s.code: "3" for s in v1.statements.all()})
    scan = make_scan(now, world.school_a1, {}, status=Scan.Status.IN_PROGRESS)
    make_scan(zero, world.school_a2, {s.code: "3" for s in v1.statements.all()})
    make_scan(now, world.school_a2, {}, status=Scan.Status.IN_PROGRESS)
    return TwoRounds(
        zero,
        now,
        zero_scan,
        scan,
        v1.themes.get(code="T01"),
        v2.themes.get(code="N01"),
        v2.themes.get(code="T02"),
    )
