"""Writing a zelfscan: save one answer (optimistic locking), a theme's reflection, submit.

Every function checks that the scan may still change (round open, close date not passed, not
submitted) and raises `ScanError` with a Dutch message for bad input; nothing is written then.
Saves never overwrite a change the client did not see: an answer row is updated only
`WHERE version = <the version the client saw>`; zero rows means a conflict.
"""

import time
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from selfscan.audit.services import record
from selfscan.norms.models import NVT_CODE, Statement, Theme
from selfscan.results.services import invalidate_round_results
from selfscan.rounds.models import Round

from .models import Answer, AnswerChange, Scan, ScanEvent, ThemeReflection
from .progress import applicable_statements, scan_completeness

MAX_COMMENT = 2000
MAX_REFLECTION = 4000


class ScanError(Exception):
    """Bad input or a locked scan; `str(error)` is the Dutch message for the user."""


@dataclass(frozen=True)
class SaveResult:
    status: str  # "saved", "unchanged" or "conflict"
    answer: Answer | None  # the row as it is now in the database

    @property
    def conflict(self) -> bool:
        return self.status == "conflict"


def today() -> date:
    return timezone.localdate()


def locked_reason(scan: Scan, *, on: date | None = None) -> str:
    """Why `scan` can no longer change, in Dutch; empty when it can."""
    round_ = scan.round
    if scan.status == Scan.Status.SUBMITTED:
        return _("Deze zelfscan is ingediend. Er kan niets meer worden gewijzigd.")
    if round_.status != Round.Status.OPEN:
        return _("Deze meetronde is niet open. Er kan niets worden gewijzigd.")
    if (on or today()) < round_.opens_on:
        return _("Deze meetronde opent op %(date)s. Tot dan kan niets worden ingevuld.") % {
            "date": date_format(round_.opens_on, "DATE_FORMAT")
        }
    if (on or today()) > round_.closes_on:
        return _(
            "De sluitingsdatum (%(date)s) is verstreken. Er kan niets meer worden gewijzigd."
        ) % {"date": date_format(round_.closes_on, "DATE_FORMAT")}
    return ""


def ensure_editable(scan: Scan) -> None:
    reason = locked_reason(scan)
    if reason:
        raise ScanError(reason)


def _statement_for(scan: Scan, statement_id: Any) -> Statement:
    try:
        pk = int(statement_id)
    except (TypeError, ValueError):
        raise ScanError(_("Deze stelling hoort niet bij deze zelfscan.")) from None
    statement = Statement.objects.select_related("theme").filter(pk=pk).first()
    if statement is None or statement.version_id != scan.norm_version_id:
        raise ScanError(_("Deze stelling hoort niet bij deze zelfscan."))
    if not statement.applies_to(scan.sector):
        raise ScanError(_("Deze stelling geldt niet voor uw sector."))
    return statement


def scale_codes(scan: Scan) -> list[str]:
    return list(scan.norm_version.scale.values_list("code", flat=True))


def validate_value(
    statement: Statement, value: str, nvt_explanation: str, comment: str, codes: list[str]
) -> None:
    """Raise ScanError when `value` is not an answer this statement accepts."""
    if value == NVT_CODE:
        if not statement.nvt_allowed:
            raise ScanError(
                _("Bij stelling %(code)s is n.v.t. niet toegestaan.") % {"code": statement.code}
            )
    elif value and value not in codes:
        raise ScanError(
            _("“%(value)s” is geen antwoord op de schaal van deze norm.") % {"value": value[:10]}
        )
    if "\x00" in comment or "\x00" in nvt_explanation:
        # PostgreSQL cannot store it (a 500); only a tampered request sends one.
        raise ScanError(_("Een toelichting mag geen nul-tekens bevatten."))
    if len(comment) > MAX_COMMENT or len(nvt_explanation) > MAX_COMMENT:
        raise ScanError(
            _("Een toelichting is ten hoogste %(max)s tekens lang.") % {"max": MAX_COMMENT}
        )


def _touch_scan(scan: Scan, theme_code: str, now: Any) -> None:
    """Mark activity; the conditional UPDATE also locks the scan row against a submit."""
    updated = (
        Scan.objects.filter(pk=scan.pk)
        .exclude(status=Scan.Status.SUBMITTED)
        .update(last_activity_at=now, current_step=theme_code)
    )
    if not updated:
        raise ScanError(_("Deze zelfscan is ingediend. Er kan niets meer worden gewijzigd."))
    Scan.objects.filter(pk=scan.pk, status=Scan.Status.NOT_STARTED).update(
        status=Scan.Status.IN_PROGRESS, started_at=now
    )


def save_answer(
    *,
    scan: Scan,
    statement_id: Any,
    by: Any,
    value: str,
    comment: str = "",
    nvt_explanation: str = "",
    expected_version: Any,
    codes: list[str] | None = None,
) -> SaveResult:
    """Save one statement's answer if nobody changed it since `expected_version`.

    Returns "saved" (and writes an AnswerChange), "unchanged" (the same values were already
    stored) or "conflict" (someone else saved a different answer first; nothing written).
    """
    ensure_editable(scan)
    statement = _statement_for(scan, statement_id)
    value = (value or "").strip()
    comment = (comment or "").strip()
    nvt_explanation = (nvt_explanation or "").strip() if value == NVT_CODE else ""
    validate_value(
        statement,
        value,
        nvt_explanation,
        comment,
        codes if codes is not None else scale_codes(scan),
    )
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        raise ScanError(_("Het formulier is onvolledig. Laad de pagina opnieuw.")) from None

    now = timezone.now()
    new = {"value": value, "comment": comment, "nvt_explanation": nvt_explanation}
    with transaction.atomic():
        _touch_scan(scan, statement.theme.code, now)
        answer = Answer.objects.filter(scan=scan, statement=statement).first()
        current = (
            {"value": "", "comment": "", "nvt_explanation": ""}
            if answer is None
            else {k: getattr(answer, k) for k in new}
        )
        if current == new:
            return SaveResult("unchanged", answer)
        if answer is None:
            if expected != 0:
                return SaveResult("conflict", None)
            try:
                with transaction.atomic():
                    answer = Answer.objects.create(
                        scan=scan, statement=statement, version=1, updated_by=by, **new
                    )
            except IntegrityError:
                # Someone else created the row first: a conflict, never an overwrite.
                return SaveResult(
                    "conflict", Answer.objects.filter(scan=scan, statement=statement).first()
                )
        else:
            if answer.version != expected:
                return SaveResult("conflict", answer)
            updated = Answer.objects.filter(pk=answer.pk, version=expected).update(
                **new, version=F("version") + 1, updated_by=by, updated_at=now
            )
            if not updated:
                answer.refresh_from_db()
                return SaveResult("conflict", answer)
            answer.refresh_from_db()
        AnswerChange.objects.create(
            answer=answer,
            changed_by=by,
            old_value=current["value"],
            new_value=value,
            old_comment=current["comment"],
            new_comment=comment,
            old_nvt_explanation=current["nvt_explanation"],
            new_nvt_explanation=nvt_explanation,
        )
    return SaveResult("saved", answer)


def save_reflection(
    *,
    scan: Scan,
    theme_id: Any,
    by: Any,
    reflection: str,
    action: str,
    expected_version: Any,
) -> SaveResult:
    """Save a theme's reflection and improvement action (last write wins only on the same
    version: a stale version is reported as a conflict, like answers)."""
    ensure_editable(scan)
    theme = Theme.objects.filter(pk=_int(theme_id) or 0, version_id=scan.norm_version_id).first()
    if theme is None:
        raise ScanError(_("Dit thema hoort niet bij deze zelfscan."))
    reflection, action = (reflection or "").strip(), (action or "").strip()
    if len(reflection) > MAX_REFLECTION or len(action) > MAX_COMMENT:
        raise ScanError(_("De reflectie of verbeteractie is te lang."))
    if "\x00" in reflection or "\x00" in action:
        raise ScanError(_("Een toelichting mag geen nul-tekens bevatten."))
    expected = _int(expected_version)
    if expected is None:
        raise ScanError(_("Het formulier is onvolledig. Laad de pagina opnieuw."))
    with transaction.atomic():
        _touch_scan(scan, theme.code, timezone.now())
        row = ThemeReflection.objects.filter(scan=scan, theme=theme).first()
        if row is None and not (reflection or action):
            return SaveResult("unchanged", None)
        if row is None:
            row, _created = ThemeReflection.objects.get_or_create(scan=scan, theme=theme)
        if row.reflection == reflection and row.action == action:
            return SaveResult("unchanged", None)
        updated = ThemeReflection.objects.filter(pk=row.pk, version=expected).update(
            reflection=reflection,
            action=action,
            version=F("version") + 1,
            updated_by=by,
            updated_at=timezone.now(),
        )
        if not updated:
            return SaveResult("conflict", None)
    return SaveResult("saved", None)


@dataclass
class StepOutcome:
    saved: int
    conflicts: dict[int, Answer | None]  # statement id -> the answer as it is now
    reflection_conflict: bool = False


def save_step(
    *,
    scan: Scan,
    by: Any,
    entries: list[dict[str, Any]],
    reflection: dict[str, Any] | None = None,
) -> StepOutcome:
    """Save a whole step (the no-JavaScript path: "Volgende"). Each entry has `statement`,
    `value`, `comment`, `nvt_explanation`, `version` and `resolve` ("theirs" skips it).
    Statements whose stored version moved on are reported as conflicts, the rest is saved."""
    ensure_editable(scan)
    codes = scale_codes(scan)
    outcome = StepOutcome(saved=0, conflicts={})
    with transaction.atomic():
        for entry in entries:
            if entry.get("resolve") == "theirs":
                continue
            result = save_answer(
                scan=scan,
                statement_id=entry["statement"],
                by=by,
                value=entry["value"],
                comment=entry["comment"],
                nvt_explanation=entry["nvt_explanation"],
                expected_version=entry["version"],
                codes=codes,
            )
            if result.conflict:
                outcome.conflicts[int(entry["statement"])] = result.answer
            elif result.status == "saved":
                outcome.saved += 1
        if reflection is not None:
            result = save_reflection(scan=scan, by=by, **reflection)
            outcome.reflection_conflict = result.conflict
    return outcome


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def set_current_step(*, scan: Scan, step: str) -> None:
    """Remember where the team is, so that any device resumes there."""
    if not locked_reason(scan):
        Scan.objects.filter(pk=scan.pk).update(current_step=step)


def submit_scan(*, scan: Scan, by: Any) -> tuple[Scan, bool]:
    """Submit `scan`: every applicable statement must be answered. Idempotent: a second call
    returns the same submission and `False`. Locks the scan row while deciding."""
    for attempt in range(5):
        try:
            return _submit_once(scan, by)
        except OperationalError as error:
            # SQLite refuses a second writer outright ("database table is locked") where
            # PostgreSQL waits for the row lock; a double click must not become an error page.
            if "locked" not in str(error) or attempt == 4:
                raise
            time.sleep(0.1 * (attempt + 1))
    raise AssertionError("unreachable")


def _submit_once(scan: Scan, by: Any) -> tuple[Scan, bool]:
    with transaction.atomic():
        locked = Scan.objects.select_for_update().select_related("round").get(pk=scan.pk)
        if locked.status == Scan.Status.SUBMITTED:
            return locked, False
        ensure_editable(locked)
        progress = scan_completeness(
            locked, applicable_statements(locked.norm_version_id, locked.sector)
        )
        if not progress.complete:
            raise ScanError(
                _(
                    "Indienen kan nog niet: %(count)s stelling(en) zijn nog niet (volledig) "
                    "beantwoord."
                )
                % {"count": len(progress.missing)}
            )
        now = timezone.now()
        updated = (
            Scan.objects.filter(pk=locked.pk)
            .exclude(status=Scan.Status.SUBMITTED)
            .update(
                status=Scan.Status.SUBMITTED,
                submitted_at=now,
                submitted_by=by,
                last_activity_at=now,
            )
        )
        locked.refresh_from_db()
        if not updated:
            return locked, False
        ScanEvent.objects.create(scan=locked, kind=ScanEvent.Kind.SUBMITTED, by=by)
        record(actor=by, action="scan.submitted", obj=locked)
        invalidate_round_results(locked.round_id)
    return locked, True


def reopen_scan(*, scan: Scan, by: Any, reason: str) -> Scan:
    """Staff reopen a submitted scan; the reason is logged and shown to the school."""
    reason = (reason or "").strip()
    if not reason:
        raise ScanError(_("Geef een reden op; de school ziet die reden."))
    with transaction.atomic():
        locked = Scan.objects.select_for_update().select_related("round").get(pk=scan.pk)
        if locked.status != Scan.Status.SUBMITTED:
            raise ScanError(_("Alleen een ingediende zelfscan kan worden heropend."))
        if locked.round.status != Round.Status.OPEN:
            raise ScanError(_("De meetronde is niet open; heropenen heeft dan geen zin."))
        Scan.objects.filter(pk=locked.pk).update(
            status=Scan.Status.IN_PROGRESS, submitted_at=None, submitted_by=None
        )
        ScanEvent.objects.create(
            scan=locked, kind=ScanEvent.Kind.REOPENED, by=by, reason=reason[:2000]
        )
        record(actor=by, action="scan.reopened", obj=locked, changes={"reason": reason})
        invalidate_round_results(locked.round_id)
        locked.refresh_from_db()
    return locked


__all__ = [
    "SaveResult",
    "ScanError",
    "ensure_editable",
    "locked_reason",
    "reopen_scan",
    "save_answer",
    "save_reflection",
    "save_step",
    "set_current_step",
    "submit_scan",
]
