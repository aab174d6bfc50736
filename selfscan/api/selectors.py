"""Reads of the API: what each route returns for a user, always through
`selfscan.accounts.permissions` and the results selectors (the pages' own small-group
protection), never by a rule of its own."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from selfscan.accounts import permissions
from selfscan.organisations.models import Bestuur, Wijk
from selfscan.results import selectors as results
from selfscan.results.aggregation import CITY_KEY
from selfscan.results.models import AggregateRow
from selfscan.results.services import ensure_results
from selfscan.rounds.models import Round
from selfscan.rounds.selectors import rounds_for
from selfscan.scans.models import Scan

LEVEL_ORDER = {"city": 0, "sector": 1, "stadsdeel": 2, "wijk": 3, "bestuur": 4, "school": 5}
GROUP_FIELDS = {"wijk": "wijk_id", "stadsdeel": "stadsdeel_id", "bestuur": "bestuur_id"}


@dataclass
class SchoolFilter:
    """Which schools of a round a list is about (empty: all the user may see)."""

    sector: str = ""
    bestuur: int | None = None
    wijk: int | None = None

    def apply(self, scans: QuerySet[Scan]) -> QuerySet[Scan]:
        if self.sector:
            scans = scans.filter(sector=self.sector)
        if self.bestuur is not None:
            scans = scans.filter(bestuur_id=self.bestuur)
        if self.wijk is not None:
            scans = scans.filter(wijk_id=self.wijk)
        return scans


def visible_rounds(user: Any) -> QuerySet[Round]:
    """The rounds of the rounds list (staff: all; others: those that have opened)."""
    return rounds_for(user)


def results_round(user: Any, round_id: int) -> Round:
    """A round whose results `user` may read (opened and not a concept), else 404."""
    return get_object_or_404(
        visible_rounds(user).filter(status__in=results.VISIBLE_STATUSES), pk=round_id
    )


def check_filter(user: Any, round_: Round, school_filter: SchoolFilter) -> None:
    """A bestuur or wijk in the filter that none of the user's schools in the round belongs to
    answers 404, like any object outside one's scope."""
    scans = permissions.visible_scans(user).filter(round=round_)
    if school_filter.bestuur is not None:
        get_object_or_404(
            Bestuur.objects.filter(pk__in=scans.values("bestuur_id")), pk=school_filter.bestuur
        )
    if school_filter.wijk is not None:
        get_object_or_404(
            Wijk.objects.filter(pk__in=scans.values("wijk_id")), pk=school_filter.wijk
        )


@dataclass
class ResultRow:
    round_id: int
    level: str
    group_id: str
    group_name: str
    theme_id: int | None
    theme_code: str
    row: AggregateRow | None
    suppressed: bool
    suppressed_reason: str


def result_rows(
    user: Any,
    round_: Round,
    school_filter: SchoolFilter,
    *,
    level: str = "",
    theme: str = "",
) -> list[ResultRow]:
    """The stored aggregate rows of the schools the user may see under the filter and of every
    group they belong to (wijk, stadsdeel, bestuur, sector, city). A group row goes through the
    pages' protection (`results.protect`): a small group the user does not see in full is
    returned without figures, `suppressed` true."""
    ensure_results(round_)
    scans = school_filter.apply(permissions.visible_scans(user).filter(round=round_))
    facts = list(scans.values_list("school_id", "wijk_id", "stadsdeel_id", "bestuur_id", "sector"))
    if not facts:
        return []
    keys: dict[str, set[str]] = {
        "school": {str(f[0]) for f in facts},
        "wijk": {str(f[1]) for f in facts if f[1]},
        "stadsdeel": {str(f[2]) for f in facts if f[2]},
        "bestuur": {str(f[3]) for f in facts},
        "sector": {f[4] for f in facts},
        "city": {CITY_KEY},
    }
    if level:
        keys = {level: keys.get(level, set())}
    group_q = Q(pk__in=[])
    for lvl, values in keys.items():
        if values:
            group_q |= Q(level=lvl, key__in=sorted(values))
    rows = AggregateRow.objects.filter(group_q, round=round_).select_related("theme")
    if theme == "norm":
        rows = rows.filter(theme__isnull=True)
    elif theme:
        rows = rows.filter(theme_id=int(theme))
    decided: dict[tuple[str, str], results.Shown] = {}
    out = []
    for row in rows:
        group = (row.level, row.key)
        if row.level == "school":
            shown = results.Shown(row.label, row)
        else:
            if group not in decided:
                decided[group] = results.protect(user, round_, row.level, row.key, row, row.label)
            verdict = decided[group]
            shown = (
                results.Shown(row.label, None, True, verdict.reason)
                if verdict.suppressed
                else (results.Shown(row.label, row))
            )
        out.append(
            ResultRow(
                round_.pk,
                row.level,
                row.key,
                row.label,
                row.theme_id,
                row.theme.code if row.theme else "",
                shown.row,
                shown.suppressed,
                shown.reason,
            )
        )
    out.sort(
        key=lambda r: (
            LEVEL_ORDER.get(r.level, 9),
            r.group_name,
            r.group_id,
            r.theme_id is not None,
            r.theme_code,
        )
    )
    return out


def scoped_school_scan(user: Any, round_: Round, school_id: int) -> Scan:
    try:
        return results.scoped_scan(user, round_.pk, school_id)
    except Scan.DoesNotExist:
        from django.http import Http404

        raise Http404 from None


def scoped_bestuur(user: Any, bestuur_id: int) -> Bestuur:
    if not permissions.can_view_board_dashboards(user):
        from rest_framework.exceptions import PermissionDenied

        raise PermissionDenied
    return get_object_or_404(permissions.visible_besturen(user), pk=bestuur_id)
