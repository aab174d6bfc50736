"""Reading zelfscans: the user's scans, one step's statements and answers, the history."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from selfscan.accounts.permissions import visible_scans
from selfscan.norms.cache import questionnaire
from selfscan.norms.models import ScaleLevel, Statement, Theme

from .models import Answer, AnswerChange, ReflectionChange, Scan, ScanEvent, ThemeReflection
from .progress import (
    Completeness,
    answer_map,
    completeness,
    is_final,
)


def my_scans(user: Any) -> QuerySet[Scan]:
    """The scans of the user's own schools, newest round first."""
    return (
        visible_scans(user)
        .select_related("round", "school", "submitted_by")
        .order_by("-round__opens_on", "school__name")
    )


@dataclass
class ThemeStep:
    theme: Theme
    statements: list[Statement]
    progress: Completeness


@dataclass
class ScanOutline:
    """A scan's themes (the wizard's steps) with their applicable statements and progress."""

    scan: Scan
    steps: list[ThemeStep]
    overall: Completeness
    scale: list[ScaleLevel]
    answers: dict[int, Answer] = field(default_factory=dict)

    def step(self, code: str) -> ThemeStep | None:
        return next((s for s in self.steps if s.theme.code == code), None)

    @property
    def codes(self) -> list[str]:
        return [s.theme.code for s in self.steps]


def scan_outline(
    scan: Scan,
    *,
    with_answers: bool = False,
    answers: dict[int, tuple[str, str]] | None = None,
) -> ScanOutline:
    """Themes with at least one statement for the scan's sector, in order, with progress.

    The statements and scale come from the cached questionnaire (selfscan.norms.cache); the
    answers cost one query, or none when the caller passes `answers` (statement id ->
    (value, nvt_explanation), as a save returns them)."""
    questions = questionnaire(scan.norm_version_id)
    statements = questions.applicable(scan.sector)
    rows: dict[int, Answer] = {}
    if answers is None:
        if with_answers:
            rows = {a.statement_id: a for a in scan.answers.select_related("updated_by")}
            answers = {sid: (a.value, a.nvt_explanation) for sid, a in rows.items()}
        else:
            answers = answer_map(scan)
    by_theme: dict[int, ThemeStep] = {}
    for statement in statements:
        step = by_theme.setdefault(
            statement.theme_id, ThemeStep(statement.theme, [], completeness([], {}))
        )
        step.statements.append(statement)
    final = is_final(scan)
    for step in by_theme.values():
        step.progress = completeness([s.pk for s in step.statements], answers, final=final)
    return ScanOutline(
        scan=scan,
        steps=list(by_theme.values()),
        overall=completeness([s.pk for s in statements], answers, final=final),
        scale=list(questions.scale),
        answers=rows,
    )


def reflection_for(scan: Scan, theme: Theme) -> ThemeReflection | None:
    return ThemeReflection.objects.filter(scan=scan, theme=theme).first()


def history(scan: Scan) -> QuerySet[AnswerChange]:
    """Every change to the scan's answers, newest first, in one query."""
    return (
        AnswerChange.objects.filter(answer__scan=scan)
        .select_related("answer__statement", "changed_by")
        .order_by("-changed_at", "-id")
    )


def reflection_history(scan: Scan) -> QuerySet[ReflectionChange]:
    """Every change to the scan's reflections and improvement actions, newest first, in one
    query."""
    return (
        ReflectionChange.objects.filter(reflection__scan=scan)
        .select_related("reflection__theme", "changed_by")
        .order_by("-changed_at", "-id")
    )


def events(scan: Scan) -> QuerySet[ScanEvent]:
    return scan.events.select_related("by").order_by("-at", "-id")
