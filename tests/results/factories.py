"""Rounds, scans and answers for results tests, created directly through the ORM."""

import datetime as dt
from collections.abc import Mapping

from django.utils import timezone

from selfscan.norms.models import NormVersion, Statement
from selfscan.organisations.models import School, Wijk
from selfscan.rounds.models import Round
from selfscan.scans.models import Answer, Scan, ThemeReflection

SUBMITTED = Scan.Status.SUBMITTED


def make_round(
    version: NormVersion,
    *,
    name: str = "Meting 2025-2026",
    status: str = Round.Status.CLOSED,
    previous: Round | None = None,
    threshold: int = 85,
    opens_on: dt.date = dt.date(2025, 10, 1),
    min_group_size: int = 3,
) -> Round:
    return Round.objects.create(
        name=name,
        status=status,
        version_po=version,
        version_vo=version,
        version_sv=version,
        opens_on=opens_on,
        closes_on=opens_on + dt.timedelta(days=60),
        threshold_percent=threshold,
        previous=previous,
        min_group_size=min_group_size,
    )


def make_scan(
    round_: Round,
    school: School,
    answers: Mapping[str, str] | None = None,
    *,
    status: str = SUBMITTED,
    wijk: Wijk | str | None = "register",
    comments: Mapping[str, str] | None = None,
) -> Scan:
    """A scan with the register snapshot of `school` (or the given wijk) and answers by code."""
    snapshot_wijk = school.wijk if wijk == "register" else wijk
    version = round_.version_for(school.sector)
    scan = Scan.objects.create(
        round=round_,
        school=school,
        norm_version=version,
        sector=school.sector,
        wijk=snapshot_wijk,  # type: ignore[misc]
        stadsdeel=snapshot_wijk.stadsdeel if isinstance(snapshot_wijk, Wijk) else None,
        bestuur=school.bestuur,
        status=status,
        submitted_at=timezone.now() if status == SUBMITTED else None,
    )
    if answers:
        statements = {s.code: s for s in Statement.objects.filter(version=version)}
        Answer.objects.bulk_create(
            Answer(
                scan=scan,
                statement=statements[code],
                value=value,
                comment=(comments or {}).get(code, ""),
            )
            for code, value in answers.items()
        )
    return scan


def answers_for(theme_counts: Mapping[str, tuple[int, int, int]], sizes: Mapping[str, int]) -> dict:
    """Answers by statement code from (sufficient, insufficient, nvt) counts per theme code.

    Sufficient answers are "3"/"4" alternating, insufficient "2"/"1" alternating, then n.v.t.
    """
    answers: dict[str, str] = {}
    for theme, (good, bad, nvt) in theme_counts.items():
        assert good + bad + nvt == sizes[theme], theme
        values = [("3", "4")[i % 2] for i in range(good)]
        values += [("2", "1")[i % 2] for i in range(bad)]
        values += ["NVT"] * nvt
        for i, value in enumerate(values, start=1):
            answers[f"{theme}.{i:02d}"] = value
    return answers


def add_reflection(scan: Scan, theme_code: str, reflection: str, action: str) -> None:
    theme = scan.norm_version.themes.get(code=theme_code)
    ThemeReflection.objects.create(scan=scan, theme=theme, reflection=reflection)
    if action:
        from selfscan.plans.models import ImprovementAction

        ImprovementAction.objects.create(scan=scan, theme=theme, what=action)
