"""Scoring against the norm: plain data in, numbers out (no ORM, no pandas).

A school meets the norm when `100 × sufficient ≥ threshold × answered`, counting only statements
that count for the norm and leaving n.v.t. out of both sides. Integer arithmetic, so exactly 85%
meets an 85% threshold. A theme (or scan) without any answered statement has no share: it is
"n.v.t.", never 0% or 100%.

`meets_threshold` is written with plain operators only, so that `selfscan.results.aggregation`
applies the very same expression to whole pandas columns (the vectorised equivalent).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

NVT = "NVT"
UNANSWERED = ""

T = TypeVar("T")


def meets_threshold(sufficient: T, answered: T, threshold: int) -> Any:
    """`100 × sufficient ≥ threshold × answered`: works on ints and on integer arrays alike.

    Callers decide what "nothing answered" means (see `Tally.meets`); on its own 0 ≥ 0 is True.
    """
    return 100 * sufficient >= threshold * answered  # type: ignore[operator]


def exceeds_share(part: T, whole: T, percent: int) -> Any:
    """`100 × part > percent × whole` (strictly more than `percent`%), integer arithmetic."""
    return 100 * part > percent * whole  # type: ignore[operator]


@dataclass(frozen=True)
class StatementInfo:
    """What scoring needs to know of a statement."""

    id: int
    theme_id: int
    counts_for_norm: bool = True


@dataclass(frozen=True)
class Tally:
    """Counts over a set of statements: sufficient ⊆ answered; n.v.t. is counted apart."""

    sufficient: int = 0
    answered: int = 0
    nvt: int = 0

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(
            self.sufficient + other.sufficient, self.answered + other.answered, self.nvt + other.nvt
        )

    @property
    def applicable(self) -> int:
        """Statements that apply and were answered with a scale level or n.v.t."""
        return self.answered + self.nvt

    @property
    def share(self) -> float | None:
        """Sufficient / answered as a fraction 0..1; None ("n.v.t.") when nothing was answered."""
        if self.answered == 0:
            return None
        return self.sufficient / self.answered

    def meets(self, threshold: int) -> bool | None:
        """Whether the tally meets `threshold` percent; None when nothing was answered."""
        if self.answered == 0:
            return None
        return bool(meets_threshold(self.sufficient, self.answered, threshold))


@dataclass(frozen=True)
class ScanScore:
    norm: Tally
    themes: dict[int, Tally] = field(default_factory=dict)
    threshold: int = 85
    nvt_review_percent: int = 20

    @property
    def meets(self) -> bool | None:
        return self.norm.meets(self.threshold)

    @property
    def share(self) -> float | None:
        return self.norm.share

    @property
    def needs_nvt_review(self) -> bool:
        """More than `nvt_review_percent`% of the applicable statements answered n.v.t."""
        return bool(exceeds_share(self.norm.nvt, self.norm.applicable, self.nvt_review_percent))

    def theme_meets(self, theme_id: int) -> bool | None:
        tally = self.themes.get(theme_id)
        return tally.meets(self.threshold) if tally else None


def tally_values(values: Iterable[str], sufficient_codes: frozenset[str] | set[str]) -> Tally:
    """Count answer values: a sufficient scale code, another scale code, n.v.t., or unanswered."""
    sufficient = answered = nvt = 0
    for value in values:
        if value == NVT:
            nvt += 1
        elif value == UNANSWERED:
            continue
        else:
            answered += 1
            if value in sufficient_codes:
                sufficient += 1
    return Tally(sufficient, answered, nvt)


def score_scan(
    answers: Mapping[int, str],
    statements: Iterable[StatementInfo],
    sufficient_codes: frozenset[str] | set[str],
    *,
    threshold: int = 85,
    nvt_review_percent: int = 20,
) -> ScanScore:
    """Score one scan: `answers` maps statement id to value ("3", "NVT", "" ...).

    Only statements that count for the norm enter the norm and the theme tallies; a streefniveau
    statement is left out entirely. Every theme with a counting statement gets a tally (possibly
    with nothing answered, which reads as "n.v.t.").
    """
    themes: dict[int, list[str]] = {}
    for statement in statements:
        if not statement.counts_for_norm:
            continue
        themes.setdefault(statement.theme_id, []).append(answers.get(statement.id, UNANSWERED))
    theme_tallies = {
        theme_id: tally_values(values, sufficient_codes) for theme_id, values in themes.items()
    }
    norm = sum(theme_tallies.values(), Tally())
    return ScanScore(norm, theme_tallies, threshold, nvt_review_percent)


def is_weak(value: str, sufficient_codes: frozenset[str] | set[str]) -> bool:
    """An answered statement below voldoende (onvoldoende or matig): worth a conversation."""
    return value not in (NVT, UNANSWERED) and value not in sufficient_codes
