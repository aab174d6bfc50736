"""Reading improvement actions: per scan and theme, last round's for the same theme (through
the norm lineage), a school's overview and a bestuur's counts."""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
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


def with_previous_scan(queryset: QuerySet[Scan]) -> QuerySet[Scan]:
    """`queryset` with, per scan, its school's scan of the round before (pk and norm version,
    None if none) and that round itself: the actions panel then needs no query of its own for
    last round's scan (the wizard step's budget, issue 18)."""
    earlier = Scan.objects.filter(
        round_id=OuterRef("round__previous_id"), school_id=OuterRef("school_id")
    )
    return queryset.select_related("round__previous").annotate(
        previous_scan_pk=Subquery(earlier.values("pk")[:1]),
        previous_scan_version_id=Subquery(earlier.values("norm_version_id")[:1]),
    )


def previous_scan(scan: Scan) -> Scan | None:
    """The same school's scan in the round before this scan's round (None if none).

    From the annotations of `with_previous_scan` when the scan was read with them (then a Scan
    holding only what the panel uses: pk, round, school and norm version), else one query."""
    previous_round = scan.round.previous_id
    if previous_round is None:
        return None
    if hasattr(scan, "previous_scan_pk"):
        if scan.previous_scan_pk is None:
            return None
        return Scan(
            pk=scan.previous_scan_pk,
            round=scan.round.previous,
            school_id=scan.school_id,
            norm_version_id=scan.previous_scan_version_id,  # type: ignore[attr-defined]
        )
    return (
        Scan.objects.filter(round_id=previous_round, school_id=scan.school_id)
        .select_related("round", "norm_version")
        .first()
    )


LINEAGE_TIMEOUT = 15 * 60


def previous_theme_ids(theme: Theme, earlier_version_id: int) -> set[int]:
    """The themes of an earlier norm version that `theme` continues: those holding the
    predecessors (through the lineage) of its statements, or else the theme with the same code.

    Kept in the cache per theme and earlier version: both versions are in use by scans (this
    round's and last round's), and a version in use no longer changes."""
    if theme.version_id == earlier_version_id:
        return {theme.pk}
    key = f"plans:previous-themes:v1:{theme.pk}:{earlier_version_id}"
    found = cache.get(key)
    if isinstance(found, set):
        return found
    ids = _previous_theme_ids(theme, earlier_version_id)
    cache.set(key, ids, LINEAGE_TIMEOUT)
    return ids


def _previous_theme_ids(theme: Theme, earlier_version_id: int) -> set[int]:
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


def panel_actions(
    user: Any, scan: Scan, theme: Theme
) -> tuple[list[ImprovementAction], Scan | None, list[ImprovementAction]]:
    """What the actions panel lists: `actions_for` and `previous_actions` in one query (the
    same rows, in the same order)."""
    earlier = previous_scan(scan)
    wanted = Q(scan=scan, theme=theme)
    if earlier is not None:
        theme_ids = previous_theme_ids(theme, earlier.norm_version_id)
        wanted |= Q(scan_id=earlier.pk, theme_id__in=theme_ids)
    current: list[ImprovementAction] = []
    previous: list[ImprovementAction] = []
    for action in _base(user).filter(wanted).order_by(*BY_DUE_DATE):
        (current if action.scan_id == scan.pk else previous).append(action)
    return current, earlier, previous


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
