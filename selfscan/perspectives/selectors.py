"""Reading team perspectives: a member's own perspective, the team's progress, the comparison
of one theme, and the aggregate spread indicators for boards and the partnership.

Who may call which is decided in `selfscan.accounts.permissions` by the views; the aggregate
indicators never carry a name, a comment or one person's answer."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from selfscan.accounts.models import Role, User
from selfscan.accounts.permissions import visible_scans
from selfscan.norms.models import NVT_CODE, ScaleLevel, Statement, Theme
from selfscan.rounds.models import Round
from selfscan.scans.models import Answer, Scan
from selfscan.scans.progress import applicable_statements, completeness

from .models import IndividualAnswer, TeamPerspective
from .rules import Level, Spread, disagreement_share, function_label, functions, spread


def perspective_for(scan: Scan, user: Any) -> TeamPerspective | None:
    return TeamPerspective.objects.filter(scan=scan, user=user).select_related("scan").first()


def levels_of(scan: Scan) -> list[Level]:
    return [
        Level(level.code, level.label, level.sufficient)
        for level in ScaleLevel.objects.filter(version_id=scan.norm_version_id).order_by("order")
    ]


def individual_answers(perspective: TeamPerspective) -> dict[int, IndividualAnswer]:
    return {a.statement_id: a for a in perspective.answers.all()}


@dataclass
class MemberStatus:
    name: str
    function: str
    answered: int
    total: int
    finished_at: Any
    started: bool


def team_status(scan: Scan) -> list[MemberStatus]:
    """Every active member of the school's team with their function and progress (three
    queries). Names: for the school's own team only (the view checks)."""
    total_ids = [s.pk for s in applicable_statements(scan.norm_version_id, scan.sector)]
    members = list(
        User.objects.filter(schools=scan.school, role=Role.SCHOOL, is_active=True).order_by(
            "first_name", "last_name", "email"
        )
    )
    perspectives = {p.user_id: p for p in TeamPerspective.objects.filter(scan=scan)}
    answers: dict[int, dict[int, tuple[str, str]]] = defaultdict(dict)
    for pid, sid, value, expl in IndividualAnswer.objects.filter(
        perspective__scan=scan
    ).values_list("perspective_id", "statement_id", "value", "nvt_explanation"):
        answers[pid][sid] = (value, expl)
    rows = []
    for member in members:
        p = perspectives.get(member.pk)
        done = completeness(total_ids, answers[p.pk]) if p else None
        rows.append(
            MemberStatus(
                name=str(member),
                function=function_label(p.function) if p else "",
                answered=done.answered if done else 0,
                total=len(total_ids),
                finished_at=p.finished_at if p else None,
                started=p is not None,
            )
        )
    return rows


@dataclass
class Opinion:
    name: str
    function: str
    value: str
    label: str
    comment: str
    nvt_explanation: str


@dataclass
class StatementComparison:
    statement: Statement
    spread: Spread
    rows: list[dict[str, Any]]  # per level: code, label, count, per function counts
    function_names: list[str]
    opinions: list[Opinion]
    school_answer: Answer | None
    prefill: str


@dataclass
class ThemeComparison:
    theme: Theme
    statements: list[StatementComparison] = field(default_factory=list)
    members: int = 0

    @property
    def flagged(self) -> int:
        return sum(1 for s in self.statements if s.spread.disagreement)


def comparison(scan: Scan, theme: Theme) -> ThemeComparison:
    """Per statement of `theme`: counts per level and per function, disagreement, median,
    every member's answer and comment, and the school answer (four queries)."""
    statements = [
        s
        for s in applicable_statements(scan.norm_version_id, scan.sector)
        if s.theme_id == theme.pk
    ]
    levels = levels_of(scan)
    labels = {level.code: level.label for level in levels}
    labels[NVT_CODE] = scan.norm_version.nvt_label or _("Niet van toepassing")
    perspectives = list(
        TeamPerspective.objects.filter(scan=scan)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__email")
    )
    by_statement: dict[int, list[tuple[TeamPerspective, IndividualAnswer]]] = defaultdict(list)
    by_perspective = {p.pk: p for p in perspectives}
    for answer in IndividualAnswer.objects.filter(
        perspective__scan=scan, statement__in=statements
    ).order_by("perspective__user__first_name", "perspective__user__email"):
        by_statement[answer.statement_id].append((by_perspective[answer.perspective_id], answer))
    school = {a.statement_id: a for a in Answer.objects.filter(scan=scan, statement__in=statements)}
    used_functions = [
        code for code, _label in functions() if any(p.function == code for p in perspectives)
    ]
    used_functions += sorted(
        {p.function for p in perspectives} - set(used_functions)
    )  # a function no longer configured still shows
    result = ThemeComparison(theme=theme, members=len(perspectives))
    codes = [level.code for level in levels] + [NVT_CODE]
    for statement in statements:
        given = by_statement.get(statement.pk, [])
        item = spread([a.value for _p, a in given], levels)
        rows = []
        for code in codes:
            if code == NVT_CODE and not statement.nvt_allowed and not item.counts[NVT_CODE]:
                continue
            rows.append(
                {
                    "code": code,
                    "label": labels[code],
                    "count": item.counts[code],
                    "by_function": [
                        sum(1 for p, a in given if p.function == f and a.value == code)
                        for f in used_functions
                    ],
                }
            )
        school_row = school.get(statement.pk)
        result.statements.append(
            StatementComparison(
                statement=statement,
                spread=item,
                rows=rows,
                function_names=[function_label(f) for f in used_functions],
                opinions=[
                    Opinion(
                        name=str(p.user),
                        function=function_label(p.function),
                        value=a.value,
                        label=labels.get(a.value, _("(leeg)")),
                        comment=a.comment,
                        nvt_explanation=a.nvt_explanation,
                    )
                    for p, a in given
                ],
                school_answer=school_row,
                prefill=school_row.value if school_row and school_row.value else item.median,
            )
        )
    return result


@dataclass
class SchoolSpread:
    scan: Scan
    members: int  # finished members
    shown: bool  # at least the round's minimum group size
    themes: list[tuple[int, int] | None]  # per theme (flagged, total); None when not shown


@dataclass
class RoundSpread:
    round: Round
    themes: list[Theme]
    schools: list[SchoolSpread]


def spread_indicators(user: Any, round_: Round) -> RoundSpread:
    """Per school of `round_` that `user` may see and that uses team perspectives: the share of
    statements with disagreement per theme, from finished members only, and only when at
    least `round_.min_group_size` members finished (else `shown` is False and no figure is
    given). No names, comments or answers (a fixed number of queries)."""
    scans = list(
        visible_scans(user, Scan.objects.filter(round=round_))
        .filter(perspectives__finished_at__isnull=False)
        .select_related("school", "norm_version")
        .distinct()
        .order_by("school__name")
    )
    version_ids = {s.norm_version_id for s in scans}
    themes = list(Theme.objects.filter(version_id__in=version_ids).order_by("order", "pk"))
    levels: dict[int, list[Level]] = defaultdict(list)
    for level in ScaleLevel.objects.filter(version_id__in=version_ids).order_by("order"):
        levels[level.version_id].append(Level(level.code, level.label, level.sufficient))
    values: dict[int, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    members: dict[int, set[int]] = defaultdict(set)
    theme_of: dict[int, int] = {}
    for scan_id, pid, sid, theme_id, value in IndividualAnswer.objects.filter(
        perspective__scan__in=scans, perspective__finished_at__isnull=False
    ).values_list(
        "perspective__scan_id", "perspective_id", "statement_id", "statement__theme_id", "value"
    ):
        values[scan_id][sid].append(value)
        members[scan_id].add(pid)
        theme_of[sid] = theme_id
    rows = []
    for scan in scans:
        n = len(members[scan.pk])
        shown = n >= round_.min_group_size
        per_theme: list[tuple[int, int] | None] = []
        for theme in themes:
            if not shown or theme.version_id != scan.norm_version_id:
                per_theme.append(None)
                continue
            spreads = [
                spread(vals, levels[scan.norm_version_id])
                for sid, vals in values[scan.pk].items()
                if theme_of[sid] == theme.pk
            ]
            flagged, total = disagreement_share(spreads)
            per_theme.append((flagged, total) if total else None)
        rows.append(SchoolSpread(scan=scan, members=n, shown=shown, themes=per_theme))
    return RoundSpread(round=round_, themes=themes, schools=rows)


def rounds_with_perspectives(user: Any) -> QuerySet[Round]:
    """Rounds with team perspectives in which `user` sees at least one scan."""
    return (
        Round.objects.filter(team_perspectives=True, scans__in=visible_scans(user))
        .distinct()
        .order_by("-opens_on")
    )
