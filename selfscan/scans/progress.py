"""How far a scan is: which applicable statements are answered, per theme and overall.

Plain functions over plain data (statement ids and answer values), plus two small database
helpers that fetch that data for one scan.

`is_answered` is the one rule for "does this answer count" (docs/decisions/0150): the scan
pages, the progress screen, the import of earlier rounds and the results all follow it, the
database queries through `answered_filter` and `counted_nvt_filter`, which say the same in SQL.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from selfscan.norms.models import NVT_CODE, Statement


def is_answered(value: str, nvt_explanation: str = "", *, final: bool = False) -> bool:
    """An answer counts when it has a value. While a school fills in its scan online, n.v.t.
    counts only with an explanation. In a final scan (`final`: imported, or submitted) every
    n.v.t. counts: earlier rounds did not ask for an explanation (docs/import-round.md), and a
    submitted scan is what it is. The same answer then counts the same on every page."""
    if not value:
        return False
    return value != NVT_CODE or final or bool(nvt_explanation.strip())


def is_final(scan: Any) -> bool:
    """Imported or submitted: its n.v.t. answers count without an explanation."""
    from .models import Scan

    return scan.imported_at is not None or scan.status == Scan.Status.SUBMITTED


def _explained_or_final(answer: str, scan: str) -> Q:
    from .models import Scan

    return (
        Q(**{f"{answer}nvt_explanation__gt": ""})
        | Q(**{f"{scan}imported_at__isnull": False})
        | Q(**{f"{scan}status": Scan.Status.SUBMITTED})
    )


def answered_filter(*, answer: str = "", scan: str = "scan__") -> Q:
    """`is_answered` as a filter on answer rows. `answer` is the path from the queried model
    to the Answer (`"answers__"` from Scan), `scan` the path from there to its Scan."""
    return Q(**{f"{answer}value__gt": ""}) & (
        ~Q(**{f"{answer}value": NVT_CODE}) | _explained_or_final(answer, scan)
    )


def counted_nvt_filter(*, answer: str = "", scan: str = "scan__") -> Q:
    """The n.v.t. answers that count (as n.v.t.) under `is_answered`; the others are
    unanswered."""
    return Q(**{f"{answer}value": NVT_CODE}) & _explained_or_final(answer, scan)


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
    statement_ids: Sequence[int],
    answers: Mapping[int, tuple[str, str]],
    *,
    final: bool = False,
) -> Completeness:
    """`answers` maps statement id -> (value, nvt_explanation); ids outside the list are ignored.
    `final`: the answers are of an imported or submitted scan (see `is_answered`)."""
    missing = tuple(
        sid for sid in statement_ids if not is_answered(*answers.get(sid, ("", "")), final=final)
    )
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
    return completeness([s.pk for s in items], answer_map(scan), final=is_final(scan))
