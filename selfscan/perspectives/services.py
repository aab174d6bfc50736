"""Writing team perspectives: a member starts (chooses a function), saves their own answers
(optimistic locking, as the school's answers), finishes; the team fixes the school answers.

Individual answers can change while the scan can (`scans.services.locked_reason`). The school
answer is written only through `scans.services.save_step`, with its conflict protection and
history, so everything downstream stays as it is.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from selfscan.audit.services import record
from selfscan.scans import services as scan_services
from selfscan.scans.models import Scan
from selfscan.scans.progress import applicable_statements, completeness
from selfscan.scans.services import ScanError

from .models import IndividualAnswer, TeamPerspective
from .rules import functions

FIELDS = ("value", "comment", "nvt_explanation")


def start_perspective(*, scan: Scan, user: Any, function: str) -> TeamPerspective:
    """The member's perspective on `scan`, created or with its function changed. The round
    must use team perspectives and the function must be one of `rules.functions()`."""
    if not scan.round.team_perspectives:
        raise ScanError(_("Deze meetronde werkt niet met teamperspectieven."))
    if function not in dict(functions()):
        raise ScanError(_("Kies een functie uit de lijst."))
    scan_services.ensure_editable(scan)
    with transaction.atomic():
        perspective, created = TeamPerspective.objects.get_or_create(
            scan=scan, user=user, defaults={"function": function}
        )
        if not created and perspective.function != function:
            old = perspective.function
            perspective.function = function
            perspective.save(update_fields=["function"])
            record(
                actor=user,
                action="perspective.function_changed",
                obj=perspective,
                changes={"function": [old, function]},
            )
        elif created:
            record(actor=user, action="perspective.started", obj=perspective)
    return perspective


@dataclass(frozen=True)
class IndividualResult:
    status: str  # "saved", "unchanged" or "conflict"
    answer: IndividualAnswer | None

    @property
    def conflict(self) -> bool:
        return self.status == "conflict"


def save_individual_answer(
    *,
    perspective: TeamPerspective,
    statement_id: Any,
    value: str,
    comment: str = "",
    nvt_explanation: str = "",
    expected_version: Any,
    base: dict[str, Any] | None = None,
    codes: list[str] | None = None,
) -> IndividualResult:
    """Save the member's own answer to one statement if it did not change since
    `expected_version` (another tab or device of the same person); with `base` only what
    changed since the page loaded counts, as in `scans.services.save_answer`."""
    scan = perspective.scan
    scan_services.ensure_editable(scan)
    statement = scan_services._statement_for(scan, statement_id)
    new = scan_services._clean_answer(
        {"value": value, "comment": comment, "nvt_explanation": nvt_explanation}
    )
    scan_services.validate_value(
        statement,
        new["value"],
        new["nvt_explanation"],
        new["comment"],
        codes if codes is not None else scan_services.scale_codes(scan),
    )
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        raise ScanError(_("Het formulier is onvolledig. Laad de pagina opnieuw.")) from None
    loaded = scan_services._clean_answer(base) if base is not None else None
    if loaded is not None and loaded == new:
        return IndividualResult("unchanged", None)
    with transaction.atomic():
        TeamPerspective.objects.filter(pk=perspective.pk).update(current_step=statement.theme.code)
        answer = IndividualAnswer.objects.filter(
            perspective=perspective, statement=statement
        ).first()
        current = (
            dict.fromkeys(FIELDS, "") if answer is None else {k: getattr(answer, k) for k in FIELDS}
        )
        stored = answer.version if answer is not None else 0
        if loaded is not None and stored != expected:
            merged = scan_services.merge(loaded, new, current)
            if merged is None:
                return IndividualResult("conflict", answer)
            new, expected = scan_services._clean_answer(merged), stored
        if current == new:
            return IndividualResult("unchanged", answer)
        if answer is None:
            if expected != 0:
                return IndividualResult("conflict", None)
            try:
                with transaction.atomic():
                    answer = IndividualAnswer.objects.create(
                        perspective=perspective, statement=statement, version=1, **new
                    )
            except IntegrityError:
                return IndividualResult(
                    "conflict",
                    IndividualAnswer.objects.filter(
                        perspective=perspective, statement=statement
                    ).first(),
                )
        else:
            updated = IndividualAnswer.objects.filter(pk=answer.pk, version=expected).update(
                **new, version=F("version") + 1, updated_at=timezone.now()
            )
            answer.refresh_from_db()
            if not updated:
                return IndividualResult("conflict", answer)
    return IndividualResult("saved", answer)


@dataclass
class IndividualStepOutcome:
    saved: int = 0
    conflicts: dict[int, IndividualAnswer | None] = field(default_factory=dict)


def save_individual_step(
    *, perspective: TeamPerspective, entries: list[dict[str, Any]]
) -> IndividualStepOutcome:
    """Save a whole theme of the member's own answers (the no-JavaScript path); entries as
    for `scans.services.save_step`."""
    scan_services.ensure_editable(perspective.scan)
    codes = scan_services.scale_codes(perspective.scan)
    outcome = IndividualStepOutcome()
    with transaction.atomic():
        for entry in entries:
            if entry.get("resolve") == "theirs":
                continue
            result = save_individual_answer(
                perspective=perspective,
                statement_id=entry["statement"],
                value=entry["value"],
                comment=entry["comment"],
                nvt_explanation=entry["nvt_explanation"],
                expected_version=entry["version"],
                base=entry.get("base"),
                codes=codes,
            )
            if result.conflict:
                outcome.conflicts[int(entry["statement"])] = result.answer
            elif result.status == "saved":
                outcome.saved += 1
    return outcome


def set_step(*, perspective: TeamPerspective, step: str) -> None:
    """Remember where the member is, so that any device resumes there."""
    TeamPerspective.objects.filter(pk=perspective.pk).update(current_step=step[:20])


def finish_perspective(*, perspective: TeamPerspective) -> TeamPerspective:
    """Mark the member's own answers as finished: every applicable statement answered (n.v.t.
    with an explanation). The member can still change them until the scan is submitted."""
    scan = perspective.scan
    scan_services.ensure_editable(scan)
    statements = applicable_statements(scan.norm_version_id, scan.sector)
    answers = {
        sid: (value, expl)
        for sid, value, expl in perspective.answers.values_list(
            "statement_id", "value", "nvt_explanation"
        )
    }
    progress = completeness([s.pk for s in statements], answers)
    if not progress.complete:
        raise ScanError(
            _("Klaar melden kan nog niet: %(count)s stelling(en) zijn nog niet beantwoord.")
            % {"count": len(progress.missing)}
        )
    if perspective.finished_at is None:
        perspective.finished_at = timezone.now()
        perspective.save(update_fields=["finished_at"])
        record(actor=perspective.user, action="perspective.finished", obj=perspective)
    return perspective


def fix_school_answers(
    *,
    scan: Scan,
    by: Any,
    entries: list[dict[str, Any]],
    reflection: dict[str, Any] | None = None,
) -> scan_services.StepOutcome:
    """The team's consensus for one theme: the school answers and the theme's reflection,
    through the school's own save (optimistic locking, merge of what this person changed,
    history), exactly as the wizard step saves them. Only members of the school's team reach
    this (the view asks `permissions.can_use_team_perspectives`)."""
    return scan_services.save_step(scan=scan, by=by, entries=entries, reflection=reflection)
