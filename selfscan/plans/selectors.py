"""Reading improvement actions: per scan and theme, last round's for the same theme (through
the norm lineage), a school's overview and a bestuur's counts."""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, QuerySet
from django.utils import timezone

from selfscan.accounts import permissions
from selfscan.norms.models import Statement, Theme
from selfscan.organisations.models import Bestuur, School
from selfscan.results.selectors import statement_mapping
from selfscan.rounds.models import Round
from selfscan.scans.models import Scan

from .models import ImprovementAction
from .services import is_overdue

STATUSES = list(ImprovementAction.Status)
# soonest first, actions without a date after those with one
BY_DUE_DATE = (F("due_on").asc(nulls_last=True), "pk")


def _base(user: Any) -> QuerySet[ImprovementAction]:
    return permissions.visible_actions(user).select_related(
        "owner", "updated_by", "theme", "scan__round", "scan__school"
    )


def actions_for(user: Any, scan: Scan, theme: Theme) -> list[ImprovementAction]:
    return list(_base(user).filter(scan=scan, theme=theme).order_by(*BY_DUE_DATE))


def previous_scan(scan: Scan) -> Scan | None:
    """The same school's scan in the round before this scan's round (None if none)."""
    previous_round = scan.round.previous_id
    if previous_round is None:
        return None
    return (
        Scan.objects.filter(round_id=previous_round, school_id=scan.school_id)
        .select_related("round", "norm_version")
        .first()
    )


def previous_theme_ids(theme: Theme, earlier_version_id: int) -> set[int]:
    """The themes of an earlier norm version that `theme` continues: those holding the
    predecessors (through the lineage) of its statements, or else the theme with the same code."""
    if theme.version_id == earlier_version_id:
        return {theme.pk}
    mapping = statement_mapping(theme.version, earlier_version_id)
    own = Statement.objects.filter(theme=theme).values_list("pk", flat=True)
    predecessors = {pk for sid in own if sid in mapping for pk in mapping[sid].previous_ids}
    ids = set(
        Statement.objects.filter(pk__in=predecessors, version_id=earlier_version_id).values_list(
            "theme_id", flat=True
        )
    )
    if not ids:
        ids = set(
            Theme.objects.filter(version_id=earlier_version_id, code=theme.code).values_list(
                "pk", flat=True
            )
        )
    return ids


def previous_actions(user: Any, scan: Scan, theme: Theme) -> tuple[Scan | None, list[Any]]:
    """Last round's actions of the same school for this theme (matched through the lineage)."""
    earlier = previous_scan(scan)
    if earlier is None:
        return None, []
    theme_ids = previous_theme_ids(theme, earlier.norm_version_id)
    actions = list(_base(user).filter(scan=earlier, theme_id__in=theme_ids).order_by(*BY_DUE_DATE))
    return earlier, actions


@dataclass
class OverviewLine:
    action: ImprovementAction
    overdue: bool


@dataclass
class RoundActions:
    round: Round
    scan: Scan
    lines: list[OverviewLine] = field(default_factory=list)

    @property
    def overdue(self) -> int:
        return sum(1 for line in self.lines if line.overdue)


def school_overview(
    user: Any, school: School, today: datetime.date | None = None
) -> list[RoundActions]:
    """All actions of a school, newest round first, by theme and due date; overdue marked."""
    today = today or timezone.localdate()
    actions = (
        _base(user)
        .filter(scan__school=school)
        .order_by("-scan__round__opens_on", "-scan__round_id", "theme__order", *BY_DUE_DATE)
    )
    rounds: dict[int, RoundActions] = {}
    for action in actions:
        group = rounds.setdefault(
            action.scan.round_id, RoundActions(action.scan.round, action.scan)
        )
        group.lines.append(OverviewLine(action, is_overdue(action, today)))
    return list(rounds.values())


@dataclass
class CountRow:
    code: str
    title: str
    counts: list[int]
    overdue: int

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass
class BoardCounts:
    round: Round | None
    rounds: list[Round]
    rows: list[CountRow]
    schools: list[tuple[School, int]]  # each school of the bestuur with its number of actions


def board_counts(
    user: Any,
    bestuur: Bestuur,
    round_id: int | None = None,
    today: datetime.date | None = None,
) -> BoardCounts:
    """Per theme (code and title) the number of actions per status across the bestuur's
    schools in one round (default: the newest round with actions of these schools)."""
    today = today or timezone.localdate()
    actions = _base(user).filter(scan__bestuur=bestuur)
    rounds = list(
        Round.objects.filter(
            pk__in=actions.values_list("scan__round_id", flat=True).distinct()
        ).order_by("-opens_on", "-pk")
    )
    chosen = next((r for r in rounds if r.pk == round_id), rounds[0] if rounds else None)
    rows: dict[tuple[str, str], CountRow] = {}
    per_school: Counter[int] = Counter()
    if chosen is not None:
        for action in actions.filter(scan__round=chosen).order_by("theme__order", "pk"):
            key = (action.theme.code, action.theme.title)
            row = rows.setdefault(key, CountRow(key[0], key[1], [0] * len(STATUSES), 0))
            row.counts[STATUSES.index(ImprovementAction.Status(action.status))] += 1
            row.overdue += int(is_overdue(action, today))
            per_school[action.scan.school_id] += 1
    schools = permissions.visible_schools(user, School.objects.filter(bestuur=bestuur)).order_by(
        "name"
    )
    return BoardCounts(
        chosen,
        rounds,
        list(rows.values()),
        [(school, per_school.get(school.pk, 0)) for school in schools],
    )
