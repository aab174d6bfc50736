"""Reads of the results app: what each results page shows, with a fixed number of queries.

Every aggregate comes from the stored rows (`AggregateRow`, see services.ensure_results); a
page reads only the rows it shows, in one query. Aggregates of groups the user may not see in
full are protected (`protect`): fewer than `Round.min_group_size` schools → not shown.
"""

import itertools
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from selfscan.accounts import permissions
from selfscan.norms.models import NVT_CODE, NormVersion, ScaleLevel, Statement, Theme
from selfscan.organisations.models import School
from selfscan.results import explain, lineage
from selfscan.results.aggregation import CITY_KEY, statement_tally_query
from selfscan.results.charts import STEP_COLOURS, colour_step, step_labels
from selfscan.results.models import AggregateRow
from selfscan.results.scoring import Tally, exceeds_share, is_weak
from selfscan.results.services import ensure_results, round_versions, stored_statement_tallies
from selfscan.rounds.models import Round
from selfscan.scans.models import Answer, Scan, ThemeReflection

MAX_TREND_ROUNDS = 6


def suppression_text(min_size: int) -> str:
    return _(
        "Niet getoond: deze groep telt minder dan %(n)s scholen met resultaten. Omdat u niet "
        "alle scholen in deze groep mag zien, laten we het cijfer weg; zo is de uitkomst van "
        "één school niet te herleiden."
    ) % {"n": min_size}


@dataclass
class Shown:
    """An aggregate as a user may see it: the row, or nothing and why."""

    label: str
    row: AggregateRow | None
    suppressed: bool = False
    reason: str = ""
    level: str = ""

    @property
    def visible(self) -> bool:
        return self.row is not None and not self.suppressed


# --- stored rows and protection -------------------------------------------------------------


def rows_for(
    round_: Round, groups: Iterable[tuple[str, str]], theme_ids: Iterable[int | None] = (None,)
) -> dict[tuple[str, str, int | None], AggregateRow]:
    """Stored rows of the given (level, key) groups and themes (None: the whole norm)."""
    groups = list(groups)
    if not groups:
        return {}
    themes = list(theme_ids)
    group_q = Q(pk__in=[])
    for level, key in groups:
        group_q |= Q(level=level, key=key)
    theme_q = Q(pk__in=[])
    if None in themes:
        theme_q |= Q(theme__isnull=True)
    if any(t is not None for t in themes):
        theme_q |= Q(theme_id__in=[t for t in themes if t is not None])
    rows = AggregateRow.objects.filter(group_q, theme_q, round=round_)
    return {(r.level, r.key, r.theme_id): r for r in rows}


def group_schools(round_: Round, level: str, key: str) -> QuerySet[School]:
    """The schools of a group in `round_`, by the round's snapshot (a lazy queryset)."""
    scans = Scan.objects.filter(round=round_)
    if level == "school":
        scans = scans.filter(school_id=key)
    elif level in {"wijk", "stadsdeel", "bestuur"}:
        scans = scans.filter(**{f"{level}_id": key})
    elif level == "sector":
        scans = scans.filter(sector=key)
    return School.objects.filter(pk__in=scans.values("school_id"))


def protect(
    user: Any, round_: Round, level: str, key: str, row: AggregateRow | None, label: str
) -> Shown:
    """Suppress a small group's aggregate for a user who may not see all its schools."""
    if row is None:
        return Shown(label, None, level=level)
    small = bool(row.scored) and row.scored < round_.min_group_size
    if small and not permissions.sees_every_school_in(user, group_schools(round_, level, key)):
        return Shown(label, None, True, suppression_text(round_.min_group_size), level)
    return Shown(label, row, level=level)


def sufficient_codes(version: NormVersion) -> frozenset[str]:
    return frozenset(
        ScaleLevel.objects.filter(version=version, sufficient=True).values_list("code", flat=True)
    )


# --- change since an earlier round ----------------------------------------------------------


def _version_chain(current: NormVersion, earlier_id: int) -> list[int] | None:
    """Version ids from `current` back to `earlier_id` following `previous`; None if unrelated."""
    links = dict(NormVersion.objects.filter(norm=current.norm_id).values_list("id", "previous_id"))
    chain = [current.pk]
    while chain[-1] != earlier_id:
        previous = links.get(chain[-1])
        if previous is None or previous in chain:
            return None
        chain.append(previous)
    return chain


def statement_mapping(current: NormVersion, earlier_id: int) -> dict[int, lineage.Mapping]:
    """Map statements of `current` to those of an earlier version (ids), through the lineage."""
    chain = _version_chain(current, earlier_id)
    if chain is None:
        ids = Statement.objects.filter(version=current).values_list("id", flat=True)
        return {i: lineage.Mapping(lineage.NOT_COMPARABLE) for i in ids}
    statements = Statement.objects.filter(version_id__in=chain).values_list(
        "id", "version_id", "concept_key", "comparable", "relation"
    )
    through = Statement.derived_from.through.objects.filter(
        from_statement__version_id__in=chain
    ).values_list("from_statement_id", "to_statement_id")
    sources: dict[int, list[int]] = {}
    for from_id, to_id in through:
        sources.setdefault(from_id, []).append(to_id)
    by_version: dict[int, list[lineage.StatementLink]] = {v: [] for v in chain}
    for sid, version_id, concept, comparable, relation in statements:
        by_version[version_id].append(
            lineage.StatementLink(sid, concept, comparable, relation, tuple(sources.get(sid, ())))
        )
    if len(chain) == 1:
        return lineage.identity(by_version[chain[0]])
    steps = [
        lineage.map_step(by_version[newer], by_version[older])
        for newer, older in itertools.pairwise(chain)
    ]
    return lineage.compose(steps)


def statement_tallies(round_: Round, scan_filter: Q) -> dict[int, Tally]:
    """Per statement: Σ sufficient, Σ answered, Σ n.v.t. over the submitted scans in the filter."""
    rows = statement_tally_query(round_.pk, round_versions(round_), scan_filter)
    return {sid: Tally(s, a, n) for sid, s, a, n in rows}


def sector_statement_tallies(round_: Round, sector: str) -> dict[int, Tally]:
    """`statement_tallies` of every submitted scan of a sector (the whole city): read from the
    tallies stored with the round's aggregates (`services.store_results`), tallied
    from the answers only when the round has none stored (rows of before decision 0230)."""
    stored = stored_statement_tallies(round_)
    if stored is None:
        return statement_tallies(round_, Q(scan__sector=sector))
    return stored.get(sector, {})


@dataclass
class StatementChange:
    status: str
    now: Tally
    then: Tally | None
    previous_ids: tuple[int, ...] = ()


@dataclass
class ThemeChange:
    theme: Theme
    now: Tally = field(default_factory=Tally)
    then: Tally = field(default_factory=Tally)
    comparable: int = 0
    new: int = 0
    not_comparable: int = 0

    @property
    def difference(self) -> float | None:
        if self.now.share is None or self.then.share is None:
            return None
        return self.now.share - self.then.share


@dataclass
class Change:
    earlier: Round
    current_label: str
    earlier_label: str
    statements: dict[int, StatementChange]
    themes: dict[int, ThemeChange]


def change_since(
    round_: Round, earlier: Round | None, sector: str, scan_filter: Q
) -> Change | None:
    """Per statement and theme, the comparable shares now and in `earlier` (same scan filter).

    Only statements comparable through the lineage enter the theme comparison; the others are
    counted as new or not comparable.
    """
    if earlier is None:
        return None
    current_version = round_.version_for(sector)
    earlier_version = earlier.version_for(sector)
    if current_version is None or earlier_version is None:
        return None
    mapping = statement_mapping(current_version, earlier_version.pk)
    statements = Statement.objects.filter(version=current_version, counts_for_norm=True)
    themes = {t.pk: t for t in Theme.objects.filter(version=current_version)}
    if scan_filter:
        sector_filter = scan_filter & Q(scan__sector=sector)
        now = statement_tallies(round_, sector_filter)
        then = statement_tallies(earlier, sector_filter)
    else:  # the whole city: the stored tallies
        now = sector_statement_tallies(round_, sector)
        then = sector_statement_tallies(earlier, sector)
    statement_changes: dict[int, StatementChange] = {}
    theme_changes = {pk: ThemeChange(theme) for pk, theme in themes.items()}
    for statement in statements:
        mapped = mapping.get(statement.pk, lineage.Mapping(lineage.NEW))
        tally_now = now.get(statement.pk, Tally())
        theme_change = theme_changes[statement.theme_id]
        if mapped.is_comparable:
            tally_then = sum((then.get(i, Tally()) for i in mapped.previous_ids), Tally())
            statement_changes[statement.pk] = StatementChange(
                mapped.status, tally_now, tally_then, mapped.previous_ids
            )
            theme_change.now += tally_now
            theme_change.then += tally_then
            theme_change.comparable += 1
        else:
            statement_changes[statement.pk] = StatementChange(mapped.status, tally_now, None)
            if mapped.status == lineage.NEW:
                theme_change.new += 1
            else:
                theme_change.not_comparable += 1
    return Change(
        earlier,
        current_version.label,
        earlier_version.label,
        statement_changes,
        theme_changes,
    )


def first_round(round_: Round) -> Round | None:
    """The 0-meting: the earliest round reached through `previous` (None if there is none)."""
    seen = {round_.pk}
    current = round_.previous
    earliest = None
    while current is not None and current.pk not in seen:
        earliest = current
        seen.add(current.pk)
        current = current.previous
    return earliest


# --- pages ----------------------------------------------------------------------------------


@dataclass
class ThemeLine:
    theme: Theme
    school: AggregateRow | None
    city: Shown
    threshold: int
    change: "ThemeChange | None" = None

    @property
    def is_nvt(self) -> bool:
        return self.school is None or self.school.answered == 0

    @property
    def meets(self) -> bool | None:
        if self.is_nvt or self.school is None:
            return None
        return self.school.meeting == 1


def scoped_scan(user: Any, round_id: int, school_id: int) -> Scan:
    """The scan of a school in a round, if `user` may see it (else Scan.DoesNotExist → 404)."""
    return (
        permissions.visible_scans(user)
        .select_related("round", "school", "norm_version", "wijk", "bestuur", "stadsdeel")
        .get(round_id=round_id, school_id=school_id, round__status__in=VISIBLE_STATUSES)
    )


VISIBLE_STATUSES = [Round.Status.OPEN, Round.Status.CLOSED, Round.Status.PUBLISHED]


def counting_themes(scan: Scan) -> list[Theme]:
    """The themes of the scan's norm version with statements that count for the norm."""
    return list(
        Theme.objects.filter(version=scan.norm_version, statements__counts_for_norm=True)
        .distinct()
        .order_by("order")
    )


def school_overview(
    user: Any, scan: Scan, *, themes: list[Theme] | None = None, change: "Change | None" = None
) -> dict[str, Any]:
    """All themakaarten of a school at a glance: per theme its share, meets, the city's share,
    and the change since the previous round (comparable statements only)."""
    round_ = scan.round
    ensure_results(round_)
    if themes is None:
        themes = counting_themes(scan)
        if round_.previous is not None:
            change = change_since(
                round_, round_.previous, scan.sector, Q(scan__school_id=scan.school_id)
            )
    theme_ids: list[int | None] = [None, *[t.pk for t in themes]]
    key = str(scan.school_id)
    rows = rows_for(round_, [("school", key), ("city", CITY_KEY)], theme_ids)
    city_norm = protect(
        user, round_, "city", CITY_KEY, rows.get(("city", CITY_KEY, None)), _("Stad")
    )
    lines = [
        ThemeLine(
            theme,
            rows.get(("school", key, theme.pk)),
            Shown(_("Stad"), rows.get(("city", CITY_KEY, theme.pk)))
            if city_norm.visible
            else city_norm,
            round_.threshold_percent,
            change.themes.get(theme.pk) if change else None,
        )
        for theme in themes
    ]
    school_row = rows.get(("school", key, None))
    return {
        "scan": scan,
        "round": round_,
        "school": scan.school,
        "norm_row": school_row,
        "city": city_norm,
        "lines": lines,
        "nvt_review": needs_review(school_row, round_),
        "submitted": scan.is_submitted,
        "change": change,
        "threshold": round_.threshold_percent,
    }


def needs_review(row: AggregateRow | None, round_: Round) -> bool:
    if row is None:
        return False
    return bool(exceeds_share(row.nvt, row.nvt + row.answered, round_.nvt_review_percent))


@dataclass
class StatementLine:
    statement: Statement
    value: str
    label: str
    weak: bool
    comment: str
    change: StatementChange | None
    previous_label: str = ""


@dataclass
class SchoolMaterial:
    """Everything the themakaarten of one scan read, loaded once for one or all themes."""

    codes: frozenset[str]
    labels: dict[str, str]
    answers: dict[int, Answer]
    statements: dict[int, list[Statement]]
    reflections: dict[int, ThemeReflection]
    groups: list[tuple[str, str]]
    rows: dict[tuple[str, str, int | None], AggregateRow]
    change: Change | None
    earlier_answers: dict[int, str]
    earlier_labels: dict[str, str]


def school_material(scan: Scan, themes: list[Theme]) -> SchoolMaterial:
    """Answers, reflections, stored rows of school/wijk/bestuur/city and the change since the
    previous round for `themes` of `scan`: a fixed number of queries whatever the themes."""
    round_ = scan.round
    ensure_results(round_)
    codes = sufficient_codes(scan.norm_version)
    labels = dict(ScaleLevel.objects.filter(version=scan.norm_version).values_list("code", "label"))
    labels[NVT_CODE] = scan.norm_version.nvt_label
    theme_ids = [t.pk for t in themes]
    answers = {
        a.statement_id: a
        for a in Answer.objects.filter(scan=scan, statement__theme_id__in=theme_ids).only(
            "statement_id", "value", "comment"
        )
    }
    statements: dict[int, list[Statement]] = {pk: [] for pk in theme_ids}
    for statement in Statement.objects.filter(
        theme_id__in=theme_ids, counts_for_norm=True
    ).order_by("order"):
        statements[statement.theme_id].append(statement)
    reflections = {
        r.theme_id: r for r in ThemeReflection.objects.filter(scan=scan, theme_id__in=theme_ids)
    }
    groups = [("school", str(scan.school_id))]
    if scan.wijk_id:
        groups.append(("wijk", str(scan.wijk_id)))
    groups += [("bestuur", str(scan.bestuur_id)), ("city", CITY_KEY)]
    rows = rows_for(round_, groups, [*theme_ids, None])
    earlier = round_.previous
    change = None
    earlier_answers: dict[int, str] = {}
    earlier_labels: dict[str, str] = {}
    if earlier is not None:
        change = change_since(round_, earlier, scan.sector, Q(scan__school_id=scan.school_id))
        earlier_answers = dict(
            Answer.objects.filter(
                scan__round=earlier,
                scan__school_id=scan.school_id,
                scan__status=Scan.Status.SUBMITTED,
            ).values_list("statement_id", "value")
        )
        earlier_labels = dict(
            ScaleLevel.objects.filter(
                version__in=[v for v in (earlier.version_for(scan.sector),) if v]
            ).values_list("code", "label")
        )
        earlier_labels[NVT_CODE] = labels[NVT_CODE]
    return SchoolMaterial(
        codes,
        labels,
        answers,
        statements,
        reflections,
        groups,
        rows,
        change,
        earlier_answers,
        earlier_labels,
    )


def _comparison_label(scan: Scan, level: str) -> str:
    return {
        "wijk": _("Wijk %(name)s") % {"name": scan.wijk.name if scan.wijk else ""},
        "bestuur": _("Bestuur %(name)s") % {"name": scan.bestuur.name},
        "city": _("Stad (alle scholen)"),
    }[level]


def theme_context(user: Any, scan: Scan, theme: Theme, material: SchoolMaterial) -> dict[str, Any]:
    """One theme of one school: its score against the threshold, weak statements, the team's
    comments, guidance, reflection, comparison with wijk, bestuur and city, and change since the
    previous round (comparable statements only, through the lineage)."""
    round_ = scan.round
    threshold = round_.threshold_percent
    school_row = material.rows.get(("school", str(scan.school_id), theme.pk))
    comparisons = [
        protect(
            user,
            round_,
            level,
            key,
            material.rows.get((level, key, theme.pk)),
            _comparison_label(scan, level),
        )
        for level, key in material.groups[1:]
    ]
    change = material.change
    lines = []
    for statement in material.statements.get(theme.pk, []):
        answer = material.answers.get(statement.pk)
        value = answer.value if answer else ""
        statement_change = change.statements.get(statement.pk) if change else None
        previous_label = ""
        if statement_change and statement_change.status == lineage.COMPARABLE:
            previous_label = ", ".join(
                material.earlier_labels.get(material.earlier_answers.get(i, ""), "–")
                for i in statement_change.previous_ids
            )
        lines.append(
            StatementLine(
                statement,
                value,
                material.labels.get(value, _("niet beantwoord")),
                is_weak(value, material.codes),
                answer.comment if answer else "",
                statement_change,
                previous_label,
            )
        )
    meets = None if school_row is None or not school_row.answered else school_row.meeting == 1
    answered = school_row.answered if school_row is not None and school_row.answered else 0
    return {
        "scan": scan,
        "round": round_,
        "school": scan.school,
        "theme": theme,
        "school_row": school_row,
        "threshold": threshold,
        "meets": meets,
        "lines": lines,
        "weak_lines": [line for line in lines if line.weak],
        "commented_lines": [line for line in lines if line.comment],
        "reflection": material.reflections.get(theme.pk),
        "comparisons": comparisons,
        "change": change,
        "theme_change": change.themes.get(theme.pk) if change else None,
        "statement_count": len(lines),
        "rule_text": explain.threshold_rule(len(lines), threshold),
        "answered_rule_text": (
            explain.threshold_rule(answered, threshold)
            if answered and answered != len(lines)
            else ""
        ),
        "guidance": explain.guidance_for(theme.guidance, below_threshold=meets is False),
    }


def themakaart(user: Any, scan: Scan, theme: Theme) -> dict[str, Any]:
    """One theme of one school (see `theme_context`)."""
    return theme_context(user, scan, theme, school_material(scan, [theme]))


def school_report(user: Any, scan: Scan) -> dict[str, Any]:
    """The school's full report: the overview and every theme's themakaart, read once."""
    themes = counting_themes(scan)
    material = school_material(scan, themes)
    context = school_overview(user, scan, themes=themes, change=material.change)
    from selfscan.plans.selectors import actions_for  # plans reads results' lineage

    context["cards"] = [theme_context(user, scan, theme, material) for theme in themes]
    for card, theme in zip(context["cards"], themes, strict=True):
        card["actions"] = actions_for(user, scan, theme)
    return context


# --- board dashboard ------------------------------------------------------------------------


@dataclass
class SchoolLine:
    school_id: int
    name: str
    vestigingscode: str
    sector: str
    norm: AggregateRow | None
    cells: list[AggregateRow | None]
    steps: list[int | None] = field(default_factory=list)

    @property
    def submitted(self) -> bool:
        return bool(self.norm and self.norm.submitted)

    @property
    def share(self) -> float | None:
        return self.norm.pooled_share if self.norm else None


def round_chain(round_: Round, limit: int = MAX_TREND_ROUNDS) -> list[Round]:
    """`round_` and the rounds before it (oldest first), at most `limit`."""
    chain = [round_]
    while len(chain) < limit and chain[-1].previous_id:
        previous = chain[-1].previous
        if previous is None or previous in chain:
            break
        chain.append(previous)
    return list(reversed(chain))


def _theme_columns(version_ids: set[int]) -> list[Theme]:
    return list(
        Theme.objects.filter(version_id__in=version_ids, statements__counts_for_norm=True)
        .select_related("version")
        .distinct()
        .order_by("version__label", "order")
    )


def theme_label(theme: Theme, several_versions: bool) -> str:
    return f"{theme.code} ({theme.version.label})" if several_versions else theme.code


def board_dashboard(
    user: Any,
    round_: Round,
    bestuur_id: int,
    *,
    sort: str = "naam",
    sector: str = "",
    below_only: bool = False,
) -> dict[str, Any]:
    """The board's schools × themes (snapshot of the round), its figures beside the city's,
    and the trend of its schools over the rounds."""
    ensure_results(round_)
    scans = permissions.visible_scans(user).filter(round=round_, bestuur_id=bestuur_id)
    scan_rows = list(
        scans.values_list(
            "school_id", "school__name", "school__vestigingscode", "sector", "norm_version_id"
        )
    )
    themes = _theme_columns({v for *_, v in scan_rows})
    several = len({t.version_id for t in themes}) > 1
    keys = [str(s[0]) for s in scan_rows]
    groups = [("school", k) for k in keys] + [("bestuur", str(bestuur_id)), ("city", CITY_KEY)]
    rows = rows_for(round_, groups, [None, *[t.pk for t in themes]])
    lines = []
    for school_id, name, code, school_sector, _version in scan_rows:
        key = str(school_id)
        lines.append(
            SchoolLine(
                school_id,
                name,
                code,
                school_sector,
                rows.get(("school", key, None)),
                [rows.get(("school", key, t.pk)) for t in themes],
            )
        )
    threshold = round_.threshold_percent
    for line in lines:
        line.steps = [
            colour_step(c.sufficient, c.answered, threshold) if c else None for c in line.cells
        ]
    if sector:
        lines = [line for line in lines if line.sector == sector]
    if below_only:
        lines = [
            line
            for line in lines
            if line.norm is not None and line.norm.scored and not line.norm.meeting
        ]
    if sort == "aandeel":
        lines.sort(key=lambda line: (line.share is None, line.share or 0.0, line.name))
    else:
        lines.sort(key=lambda line: line.name)
    bestuur_key = str(bestuur_id)
    own = protect(
        user, round_, "bestuur", bestuur_key, rows.get(("bestuur", bestuur_key, None)), ""
    )
    city = protect(user, round_, "city", CITY_KEY, rows.get(("city", CITY_KEY, None)), _("Stad"))
    beside = []
    for theme in themes:
        mine = rows.get(("bestuur", bestuur_key, theme.pk))
        theirs = rows.get(("city", CITY_KEY, theme.pk))
        beside.append(
            (
                theme,
                Shown("", mine) if own.visible else Shown("", None, own.suppressed, own.reason),
                Shown("", theirs)
                if city.visible
                else Shown("", None, city.suppressed, city.reason),
            )
        )
    trend = board_trend(user, round_, bestuur_id, [line.school_id for line in lines])
    sectors_present = sorted({line.sector for line in lines})
    return {
        "theme_trend": []
        if own.suppressed
        else board_theme_trend(round_, bestuur_id, sectors_present),
        "school_trend": [
            (line, [point.schools.get(line.school_id) for point in trend]) for line in lines
        ],
        "step_legend": list(zip(range(len(STEP_COLOURS)), step_labels(threshold), strict=True)),
        "round": round_,
        "themes": themes,
        "theme_labels": [theme_label(t, several) for t in themes],
        "lines": lines,
        "own": own,
        "city": city,
        "beside": beside,
        "threshold": threshold,
        "trend": trend,
        "board_school_count": len(scan_rows),
        "has_schools": bool(scan_rows),
    }


@dataclass
class TrendPoint:
    round: Round
    label: str
    bestuur: Shown
    city: Shown
    schools: dict[int, AggregateRow | None]


def board_trend(
    user: Any, round_: Round, bestuur_id: int, school_ids: list[int]
) -> list[TrendPoint]:
    """Per round in the chain: the board's, the city's and each school's pooled share."""
    points = []
    for r in round_chain(round_):
        ensure_results(r)
        keys = [("school", str(i)) for i in school_ids]
        rows = rows_for(r, [*keys, ("bestuur", str(bestuur_id)), ("city", CITY_KEY)])
        versions = sorted(
            {v.label for v in (r.version_po, r.version_vo, r.version_sv) if v is not None}
        )
        points.append(
            TrendPoint(
                r,
                f"{r.name} ({'/'.join(versions)})",
                protect(
                    user,
                    r,
                    "bestuur",
                    str(bestuur_id),
                    rows.get(("bestuur", str(bestuur_id), None)),
                    "",
                ),
                protect(user, r, "city", CITY_KEY, rows.get(("city", CITY_KEY, None)), ""),
                {i: rows.get(("school", str(i), None)) for i in school_ids},
            )
        )
    return points


@dataclass
class ThemeTrendRow:
    theme: Theme
    cells: list[ThemeChange | None]  # per earlier round (oldest first)


@dataclass
class ThemeTrend:
    sector: str
    earlier: list[Change]
    rows: list[ThemeTrendRow]


def board_theme_trend(round_: Round, bestuur_id: int, sectors: list[str]) -> list[ThemeTrend]:
    """Per sector of the board's schools: each theme of this round's norm version beside every
    earlier round of the chain, on the statements comparable through the lineage only."""
    earlier_rounds = round_chain(round_)[:-1]
    if not earlier_rounds:
        return []
    out = []
    for sector in sectors:
        changes = [
            change
            for earlier in earlier_rounds
            if (change := change_since(round_, earlier, sector, Q(scan__bestuur_id=bestuur_id)))
        ]
        if not changes:
            continue
        themes = list(changes[-1].themes.values())
        themes.sort(key=lambda tc: tc.theme.order)
        rows = [
            ThemeTrendRow(tc.theme, [change.themes.get(tc.theme.pk) for change in changes])
            for tc in themes
        ]
        out.append(ThemeTrend(sector, changes, rows))
    return out


# --- city dashboard -------------------------------------------------------------------------


@dataclass
class SectorChange:
    sector: str
    now: AggregateRow | None
    then: AggregateRow | None
    change: Change | None


def city_dashboard(round_: Round) -> dict[str, Any]:
    """Staff: the indicator table per sector, per wijk and stadsdeel, per bestuur, per theme, the
    distribution of school shares, and the change since the 0-meting. Staff see every school,
    so nothing is suppressed here."""
    ensure_results(round_)
    rows = list(
        AggregateRow.objects.filter(round=round_).exclude(level="school").order_by("level", "label")
    )
    norm_rows = [r for r in rows if r.theme_id is None]
    by_level: dict[str, list[AggregateRow]] = {}
    for row in norm_rows:
        by_level.setdefault(row.level, []).append(row)
    versions = {v for v in (round_.version_po_id, round_.version_vo_id, round_.version_sv_id) if v}
    themes = _theme_columns(versions)
    several = len({t.version_id for t in themes}) > 1
    theme_rows = {r.theme_id: r for r in rows if r.level == "city" and r.theme_id is not None}
    baseline = first_round(round_)
    changes: list[SectorChange] = []
    if baseline is not None:
        ensure_results(baseline)
        earlier = {
            (r.level, r.key): r
            for r in AggregateRow.objects.filter(
                round=baseline, level__in=["sector", "city"], theme__isnull=True
            )
        }
        for row in by_level.get("sector", []):
            changes.append(
                SectorChange(
                    row.key,
                    row,
                    earlier.get(("sector", row.key)),
                    change_since(round_, baseline, row.key, Q()),
                )
            )
    return {
        "round": round_,
        "sectors": by_level.get("sector", []),
        "city": by_level["city"][0] if by_level.get("city") else None,
        "wijken": by_level.get("wijk", []),
        "stadsdelen": by_level.get("stadsdeel", []),
        "besturen": by_level.get("bestuur", []),
        "themes": [(t, theme_label(t, several), theme_rows.get(t.pk)) for t in themes],
        "threshold": round_.threshold_percent,
        "baseline": baseline,
        "changes": changes,
    }


# --- index ----------------------------------------------------------------------------------


def results_index(user: Any) -> dict[str, Any]:
    """The rounds with results and, per round, the links this user may follow."""
    rounds = list(Round.objects.filter(status__in=VISIBLE_STATUSES).order_by("-opens_on"))
    scans: list[Scan] = []
    # Staff reach every school through the dashboards; a list of all schools would be too long.
    if not permissions.can_view_city_results(user):
        scans = list(
            permissions.visible_scans(user)
            .filter(round__in=rounds)
            .select_related("school")
            .order_by("school__name")
        )
    besturen = (
        list(permissions.visible_besturen(user))
        if permissions.can_view_board_dashboards(user)
        else []
    )
    by_round = {r.pk: [s for s in scans if s.round_id == r.pk] for r in rounds}
    return {
        "rounds": [(r, by_round[r.pk]) for r in rounds],
        "besturen": besturen,
        "is_staff": permissions.can_view_city_results(user),
    }


# --- threshold explorer ---------------------------------------------------------------------


def threshold_explorer(
    user: Any, round_: Round, chosen: int, bestuur_id: int | None = None
) -> dict[str, Any]:
    """Per sector and per theme, the share of schools that would meet every threshold from
    50% to 100%: the city's schools (staff) or one board's (visible to the user). The round's
    own threshold is left as it is."""
    from selfscan.results import thresholds

    scans = permissions.visible_scans(user).filter(round=round_)
    if bestuur_id is not None:
        scans = scans.filter(bestuur_id=bestuur_id)
    versions = {v for v in (round_.version_po_id, round_.version_vo_id, round_.version_sv_id) if v}
    themes = _theme_columns(versions)
    several = len({t.version_id for t in themes}) > 1
    labels = [theme_label(t, several) for t in themes]
    explorer = thresholds.explore(round_, scans, themes, labels)
    theme_columns = thresholds.columns(round_.threshold_percent)
    return {
        "round": round_,
        "threshold": round_.threshold_percent,
        "chosen": chosen,
        "thresholds": thresholds.THRESHOLDS,
        "sectors": explorer.sectors,
        "theme_curves": explorer.themes,
        "theme_columns": theme_columns,
        "at_chosen": [thresholds.chosen_summary(c.label, c, chosen) for c in explorer.sectors],
        "sector_table": [
            (
                t,
                [c.share_at(t) for c in explorer.sectors],
                t == chosen,
                t == round_.threshold_percent,
            )
            for t in thresholds.THRESHOLDS
        ],
        "theme_table": [
            (theme, label, c.scored, c.share_at(chosen), [c.share_at(t) for t in theme_columns])
            for theme, label, c in explorer.themes
        ],
        # JSON in a data attribute, as the charts carry theirs: no inline <script> (CSP test)
        "live": json.dumps(thresholds.live_steps(explorer)),
        "lowest": thresholds.LOWEST,
        "highest": thresholds.HIGHEST,
    }
