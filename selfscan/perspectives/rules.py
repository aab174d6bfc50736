"""The rules of team perspectives that need no database: the functions a member can have, the
spread of a statement's answers (counts, disagreement, median) and a theme's share of
statements with disagreement. Plain data in, plain data out."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from selfscan.norms.models import NVT_CODE

DEFAULT_FUNCTIONS: list[tuple[str, str | Promise]] = [
    ("directie", _("Directie")),
    ("ib", _("Intern begeleider")),
    ("leerkracht", _("Leerkracht")),
    ("overig", _("Overig")),
]


def functions() -> list[tuple[str, str | Promise]]:
    """The functions a team member can choose: `settings.TEAM_FUNCTIONS` (a list of
    (code, label) pairs) when set, else directie, intern begeleider, leerkracht, overig."""
    configured = getattr(settings, "TEAM_FUNCTIONS", None)
    return list(configured) if configured else list(DEFAULT_FUNCTIONS)


def function_label(code: str) -> str:
    return str(dict(functions()).get(code, code))


@dataclass(frozen=True)
class Level:
    code: str
    label: str
    sufficient: bool


@dataclass(frozen=True)
class Spread:
    """The team's answers to one statement."""

    counts: dict[str, int]  # level code (and NVT) -> number of members
    answered: int  # members with a level or n.v.t.
    disagreement: bool
    median: str  # a level code, NVT when only n.v.t. was answered, "" when nothing
    reasons: tuple[str, ...] = field(default=())  # "range", "line"


def spread(values: Iterable[str], levels: Sequence[Level]) -> Spread:
    """Counts per level, whether the team disagrees and the median answer.

    The team disagrees when its level answers lie two or more levels apart (1 and 3) or on both
    sides of the voldoende line (2 and 3); n.v.t. and empty answers take no part. The median is
    the lower middle answer when the count is even: the prefill never claims more than half of
    the team gave (docs/decisions/0180)."""
    order = {level.code: i for i, level in enumerate(levels)}
    counts = {level.code: 0 for level in levels}
    counts[NVT_CODE] = 0
    positions: list[int] = []
    answered = 0
    for value in values:
        if value in order:
            counts[value] += 1
            positions.append(order[value])
            answered += 1
        elif value == NVT_CODE:
            counts[NVT_CODE] += 1
            answered += 1
    reasons: list[str] = []
    if positions:
        low, high = min(positions), max(positions)
        if high - low >= 2:
            reasons.append("range")
        if levels[low].sufficient != levels[high].sufficient:
            reasons.append("line")
        positions.sort()
        median = levels[positions[(len(positions) - 1) // 2]].code
    else:
        median = NVT_CODE if counts[NVT_CODE] else ""
    return Spread(
        counts=counts,
        answered=answered,
        disagreement=bool(reasons),
        median=median,
        reasons=tuple(reasons),
    )


def disagreement_share(spreads: Iterable[Spread]) -> tuple[int, int]:
    """(statements with disagreement, statements with at least two level answers): a theme's
    aggregate spread indicator. Statements fewer than two members rated cannot disagree and are
    left out of both."""
    flagged = total = 0
    for item in spreads:
        rated = sum(n for code, n in item.counts.items() if code != NVT_CODE)
        if rated >= 2:
            total += 1
            flagged += int(item.disagreement)
    return flagged, total
