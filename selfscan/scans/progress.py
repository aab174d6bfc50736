"""How far a scan is: which applicable statements are answered, per theme and overall.

Plain functions over plain data (statement ids and answer values), plus two small database
helpers that fetch that data for one scan. The results app may reuse `is_answered` and
`completeness` for its own counts.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from selfscan.norms.models import NVT_CODE, Statement


def is_answered(value: str, nvt_explanation: str = "") -> bool:
    """An answer counts when it has a value; n.v.t. counts only with an explanation."""
    if not value:
        return False
    return value != NVT_CODE or bool(nvt_explanation.strip())


@dataclass(frozen=True)
class Completeness:
    total: int
    answered: int
    missing: tuple[int, ...]  # statement ids, in questionnaire order

    @property
    def complete(self) -> bool:
        return self.total > 0 and not self.missing

    @property
    def percent(self) -> int:
        """Whole percent, rounded down, so 99.9% never shows as 100%."""
        return (100 * self.answered) // self.total if self.total else 0


def completeness(
    statement_ids: Sequence[int], answers: Mapping[int, tuple[str, str]]
) -> Completeness:
    """`answers` maps statement id -> (value, nvt_explanation); ids outside the list are ignored."""
    missing = tuple(sid for sid in statement_ids if not is_answered(*answers.get(sid, ("", ""))))
    return Completeness(
        total=len(statement_ids), answered=len(statement_ids) - len(missing), missing=missing
    )


def applicable_statements(version_id: int, sector: str) -> list[Statement]:
    """The statements of a norm version that apply to a sector, in questionnaire order."""
    statements = Statement.objects.filter(version_id=version_id).select_related("theme")
    ordered = sorted(statements, key=lambda s: (s.theme.order, s.theme_id, s.order, s.pk))
    return [s for s in ordered if s.applies_to(sector)]


def answer_map(scan: Any) -> dict[int, tuple[str, str]]:
    return {
        sid: (value, expl)
        for sid, value, expl in scan.answers.values_list("statement_id", "value", "nvt_explanation")
    }


def scan_completeness(scan: Any, statements: Iterable[Statement] | None = None) -> Completeness:
    """Completeness of one scan (two queries, or one when `statements` is given)."""
    items = list(statements) if statements is not None else None
    if items is None:
        items = applicable_statements(scan.norm_version_id, scan.sector)
    return completeness([s.pk for s in items], answer_map(scan))
