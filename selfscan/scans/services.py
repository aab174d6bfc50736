"""Writing a zelfscan: save one answer (optimistic locking), a theme's reflection, submit.

Every function checks that the scan may still change (round open, close date not passed, not
submitted) and raises `ScanError` with a Dutch message for bad input; nothing is written then.
Saves never overwrite a change the client did not see: an answer row is updated only
`WHERE version = <the version the client saw>`; zero rows means a conflict.
"""

import functools
import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from selfscan.audit.services import record
from selfscan.core.bulk import quoted_column, quoted_table
from selfscan.norms.cache import questionnaire
from selfscan.norms.models import NVT_CODE, Statement, Theme
from selfscan.results.services import update_results_for_scan
from selfscan.rounds.models import Round

from .models import (
    Answer,
    AnswerChange,
    PendingStepPost,
    ReflectionChange,
    Scan,
    ScanEvent,
    ThemeReflection,
)
from .progress import scan_completeness

MAX_COMMENT = 2000
MAX_REFLECTION = 4000


class ScanError(Exception):
    """Bad input or a locked scan; `str(error)` is the Dutch message for the user."""


@dataclass(frozen=True)
class SaveResult:
    status: str  # "saved", "unchanged" or "conflict"
    answer: Answer | None  # the row as it is now in the database
    # Every answer of the scan after the save (statement id -> (value, nvt_explanation)), read
    # in the save's own transaction so the caller can show the progress without a query; None
    # when the save did not reach the database.
    answers: dict[int, tuple[str, str]] | None = None

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
    """The statement, from the cached questionnaire of the scan's norm version (no query)."""
    try:
        pk = int(statement_id)
    except (TypeError, ValueError):
        raise ScanError(_("Deze stelling hoort niet bij deze zelfscan.")) from None
    statement = questionnaire(scan.norm_version_id).by_id.get(pk)
    if statement is None or statement.version_id != scan.norm_version_id:
        raise ScanError(_("Deze stelling hoort niet bij deze zelfscan."))
    if not statement.applies_to(scan.sector):
        raise ScanError(_("Deze stelling geldt niet voor uw sector."))
    return statement


def scale_codes(scan: Scan) -> list[str]:
    return questionnaire(scan.norm_version_id).codes


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
    """Mark activity (and start the scan) in one UPDATE; it also locks the scan row against a
    submit until the save commits."""
    sql = _autosave_sql(connection.vendor)
    when = connection.ops.adapt_datetimefield_value(now)
    not_started, in_progress = Scan.Status.NOT_STARTED, Scan.Status.IN_PROGRESS
    with connection.cursor() as cursor:
        cursor.execute(
            sql.touch,
            [
                *(when, theme_code, not_started, when),
                *(not_started, in_progress, scan.pk, Scan.Status.SUBMITTED),
            ],
        )
        updated = cursor.rowcount
    if not updated:
        raise ScanError(_("Deze zelfscan is ingediend. Er kan niets meer worden gewijzigd."))


@dataclass(frozen=True)
class _AutosaveSQL:
    touch: str
    answers: str
    update: str
    history: str


@functools.cache
def _autosave_sql(vendor: str) -> _AutosaveSQL:
    """The autosave's four statements as plain SQL, built once per database vendor from the
    models' meta (a renamed table or column follows).

    They do what the ORM calls did (same rows, same values, same `WHERE version = ...`), but
    compiling those querysets cost more CPU than the database took to run them: about half of
    an autosave's time in the load benchmark (decision 0275). Only this hot path is written
    so; every other write goes through the ORM. Only quoted names from the models' meta are
    put into the text (hence the `noqa: S608`); every value is a parameter."""
    col = quoted_column
    scan, answer, change = (quoted_table(m) for m in (Scan, Answer, AnswerChange))
    status, started = col(Scan, "status"), col(Scan, "started_at")
    touch = (
        f"UPDATE {scan} SET {col(Scan, 'last_activity_at')} = %s, "  # noqa: S608
        f"{col(Scan, 'current_step')} = %s, "
        f"{started} = CASE WHEN {status} = %s THEN %s ELSE {started} END, "
        f"{status} = CASE WHEN {status} = %s THEN %s ELSE {status} END "
        f"WHERE {col(Scan, 'id')} = %s AND {status} <> %s"
    )
    read = ("statement", "value", "nvt_explanation", "id", "comment", "version")
    answers = (
        f"SELECT {', '.join(f'{answer}.{col(Answer, name)}' for name in read)} FROM {answer} "  # noqa: S608
        f"WHERE {col(Answer, 'scan')} = %s"
    )
    version = col(Answer, "version")
    update = (
        f"UPDATE {answer} SET {col(Answer, 'value')} = %s, {col(Answer, 'comment')} = %s, "  # noqa: S608
        f"{col(Answer, 'nvt_explanation')} = %s, {version} = {version} + 1, "
        f"{col(Answer, 'updated_by')} = %s, {col(Answer, 'updated_at')} = %s "
        f"WHERE {col(Answer, 'id')} = %s AND {version} = %s"
    )
    written = (
        "answer",
        "changed_at",
        "changed_by",
        "old_value",
        "new_value",
        "old_comment",
        "new_comment",
        "old_nvt_explanation",
        "new_nvt_explanation",
    )
    history = (
        f"INSERT INTO {change} ({', '.join(col(AnswerChange, name) for name in written)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(written))})"
    )
    return _AutosaveSQL(touch, answers, update, history)


FIELDS = ("value", "comment", "nvt_explanation")
REFLECTION_FIELDS = ("reflection",)


def merge(
    base: dict[str, str], mine: dict[str, str], theirs: dict[str, str]
) -> dict[str, str] | None:
    """Three-way merge field by field: what this person changed since `base` (what the page
    loaded) on top of what is stored now. None when both changed one field differently."""
    merged = {}
    for key, value in mine.items():
        if value == base.get(key, "") or value == theirs[key]:
            merged[key] = theirs[key] if value == base.get(key, "") else value
        elif theirs[key] == base.get(key, ""):
            merged[key] = value
        else:
            return None
    return merged


def _clean_answer(values: dict[str, Any]) -> dict[str, str]:
    value = (values.get("value") or "").strip()
    return {
        "value": value,
        "comment": (values.get("comment") or "").strip(),
        "nvt_explanation": (values.get("nvt_explanation") or "").strip()
        if value == NVT_CODE
        else "",
    }


def save_answer(
    *,
    scan: Scan,
    statement_id: Any,
    by: Any,
    value: str,
    comment: str = "",
    nvt_explanation: str = "",
    expected_version: Any,
    base: dict[str, Any] | None = None,
    codes: list[str] | None = None,
) -> SaveResult:
    """Save one statement's answer if nobody changed it since `expected_version`.

    With `base` (the answer as the page loaded it at `expected_version`) only what this person
    changed counts: an answer equal to `base` is not saved at all, and a change by someone
    else to another field (value, comment) is kept beside this person's change. Returns
    "saved" (and writes an AnswerChange), "unchanged" (nothing to write) or "conflict"
    (someone else changed the same field differently first; nothing written).
    """
    ensure_editable(scan)
    statement = _statement_for(scan, statement_id)
    new = _clean_answer({"value": value, "comment": comment, "nvt_explanation": nvt_explanation})
    validate_value(
        statement,
        new["value"],
        new["nvt_explanation"],
        new["comment"],
        codes if codes is not None else scale_codes(scan),
    )
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        raise ScanError(_("Het formulier is onvolledig. Laad de pagina opnieuw.")) from None
    loaded = _clean_answer(base) if base is not None else None
    if loaded is not None and loaded == new:
        return SaveResult("unchanged", None)  # this person did not touch it

    now = timezone.now()
    try:
        return _write_answer(scan, statement, by, new, loaded, expected, now)
    except IntegrityError:
        # Someone else created the row first (the whole save rolled back): a conflict, never
        # an overwrite.
        return SaveResult(
            "conflict",
            Answer.objects.filter(scan=scan, statement=statement)
            .select_related("updated_by")
            .first(),
        )


def _answer_row(own: tuple[Any, ...] | None) -> Answer | None:
    """The stored answer with who changed it last (for a conflict or an unchanged save: the
    page shows it), one query; None when there is none."""
    if own is None:
        return None
    return Answer.objects.select_related("updated_by").filter(pk=own[0]).first()


def _write_answer(
    scan: Scan,
    statement: Statement,
    by: Any,
    new: dict[str, str],
    loaded: dict[str, str] | None,
    expected: int,
    now: Any,
) -> SaveResult:
    """The database part of `save_answer`: four statements in one transaction (touch and lock
    the scan, read its answers, write the answer, write the history row)."""
    with transaction.atomic():
        _touch_scan(scan, statement.theme.code, now)
        # The scan's answers as plain tuples (the progress needs value and n.v.t. of each; a
        # model instance per answer cost more CPU than the rest of the save), the saved
        # statement's row in full.
        answers: dict[int, tuple[str, str]] = {}
        own = None
        sql = _autosave_sql(connection.vendor)
        by_pk, when = getattr(by, "pk", None), connection.ops.adapt_datetimefield_value(now)
        with connection.cursor() as cursor:
            cursor.execute(sql.answers, [scan.pk])
            rows = cursor.fetchall()
        for sid, value, nvt, pk, comment, version in rows:
            answers[sid] = (value, nvt)
            if sid == statement.pk:
                own = (pk, value, comment, nvt, version)
        current = (
            {"value": "", "comment": "", "nvt_explanation": ""}
            if own is None
            else {"value": own[1], "comment": own[2], "nvt_explanation": own[3]}
        )
        stored_version = own[4] if own is not None else 0
        if loaded is not None and stored_version != expected:
            merged = merge(loaded, new, current)
            if merged is None:
                return SaveResult("conflict", _answer_row(own), answers)
            new, expected = _clean_answer(merged), stored_version
        if current == new:
            return SaveResult("unchanged", _answer_row(own), answers)
        answer = (
            None
            if own is None
            else Answer(
                pk=own[0],
                scan=scan,
                statement=statement,
                value=own[1],
                comment=own[2],
                nvt_explanation=own[3],
                version=own[4],
            )
        )
        if answer is None:
            if expected != 0:
                return SaveResult("conflict", None, answers)
            answer = Answer.objects.create(
                scan=scan, statement=statement, version=1, updated_by=by, **new
            )
        else:
            if answer.version != expected:
                return SaveResult("conflict", _answer_row(own), answers)
            with connection.cursor() as cursor:
                cursor.execute(
                    sql.update,
                    [
                        *(new["value"], new["comment"], new["nvt_explanation"]),
                        *(by_pk, when, answer.pk, expected),
                    ],
                )
                updated = cursor.rowcount
            if not updated:
                answer.refresh_from_db()
                return SaveResult("conflict", answer)
            for key, value in new.items():
                setattr(answer, key, value)
            answer.version = expected + 1
            answer.updated_by = by
            answer.updated_at = now
        with connection.cursor() as cursor:
            cursor.execute(
                sql.history,
                [
                    *(answer.pk, when, by_pk),
                    *(current["value"], new["value"], current["comment"], new["comment"]),
                    *(current["nvt_explanation"], new["nvt_explanation"]),
                ],
            )
        answers[statement.pk] = (new["value"], new["nvt_explanation"])
    return SaveResult("saved", answer, answers)


@dataclass(frozen=True)
class ReflectionResult:
    status: str  # "saved", "unchanged" or "conflict"
    reflection: ThemeReflection | None  # the row as it is now in the database

    @property
    def conflict(self) -> bool:
        return self.status == "conflict"


def save_reflection(
    *,
    scan: Scan,
    theme_id: Any,
    by: Any,
    reflection: str,
    expected_version: Any,
    base: dict[str, Any] | None = None,
) -> ReflectionResult:
    """Save a theme's reflection if nobody changed it since
    `expected_version`; with `base` (the texts as the page loaded them) only what this person
    changed counts, as for answers. Every save writes a ReflectionChange (the history)."""
    ensure_editable(scan)
    theme = Theme.objects.filter(pk=_int(theme_id) or 0, version_id=scan.norm_version_id).first()
    if theme is None:
        raise ScanError(_("Dit thema hoort niet bij deze zelfscan."))
    new = {"reflection": (reflection or "").strip()}
    if len(new["reflection"]) > MAX_REFLECTION:
        raise ScanError(_("De reflectie is te lang."))
    if "\x00" in new["reflection"]:
        raise ScanError(_("Een toelichting mag geen nul-tekens bevatten."))
    expected = _int(expected_version)
    if expected is None:
        raise ScanError(_("Het formulier is onvolledig. Laad de pagina opnieuw."))
    loaded = (
        {k: (base.get(k) or "").strip() for k in REFLECTION_FIELDS} if base is not None else None
    )
    if loaded is not None and loaded == new:
        return ReflectionResult("unchanged", None)
    with transaction.atomic():
        _touch_scan(scan, theme.code, timezone.now())
        row = ThemeReflection.objects.filter(scan=scan, theme=theme).first()
        current = {k: getattr(row, k) if row else "" for k in REFLECTION_FIELDS}
        stored_version = row.version if row is not None else 0
        if loaded is not None and stored_version != expected:
            merged = merge(loaded, new, current)
            if merged is None:
                return ReflectionResult("conflict", row)
            new, expected = merged, stored_version
        if current == new:
            return ReflectionResult("unchanged", row)
        if row is None:
            if expected != 0:
                return ReflectionResult("conflict", None)
            try:
                with transaction.atomic():
                    row = ThemeReflection.objects.create(
                        scan=scan, theme=theme, version=1, updated_by=by, **new
                    )
            except IntegrityError:
                return ReflectionResult(
                    "conflict", ThemeReflection.objects.filter(scan=scan, theme=theme).first()
                )
        else:
            updated = ThemeReflection.objects.filter(pk=row.pk, version=expected).update(
                **new, version=F("version") + 1, updated_by=by, updated_at=timezone.now()
            )
            if not updated:
                row.refresh_from_db()
                return ReflectionResult("conflict", row)
            row.refresh_from_db()
        ReflectionChange.objects.create(
            reflection=row,
            changed_by=by,
            old_reflection=current["reflection"],
            new_reflection=new["reflection"],
        )
    return ReflectionResult("saved", row)


@dataclass
class StepOutcome:
    saved: int
    conflicts: dict[int, Answer | None]  # statement id -> the answer as it is now
    reflection_conflict: bool = False
    reflection: ThemeReflection | None = None  # as it is now, when in conflict


def save_step(
    *,
    scan: Scan,
    by: Any,
    entries: list[dict[str, Any]],
    reflection: dict[str, Any] | None = None,
) -> StepOutcome:
    """Save a whole step (the no-JavaScript path: "Volgende"). Each entry has `statement`,
    `value`, `comment`, `nvt_explanation`, `version`, `resolve` ("theirs" skips it) and
    `base` (the answer as the page loaded it, or None). Only what this person changed is
    saved or compared; a field someone else changed differently is a conflict."""
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
                base=entry.get("base"),
                codes=codes,
            )
            if result.conflict:
                outcome.conflicts[int(entry["statement"])] = result.answer
            elif result.status == "saved":
                outcome.saved += 1
        if reflection is not None:
            reflected = save_reflection(scan=scan, by=by, **reflection)
            outcome.reflection_conflict = reflected.conflict
            outcome.reflection = reflected.reflection
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


def _lock_for_status_change(scan_id: int) -> Scan:
    """Lock a scan for a change of its status (submit, reopen), inside the caller's transaction;
    the scan comes back with its round as it is now.

    The round's row is held in SHARE mode first: a close, reopen, extension or import of the
    round (which lock it FOR UPDATE) waits for the change, and the change, if it came second,
    sees the round as they left it. Submits of different scans of one round do not wait for
    each other here (FOR UPDATE of the round's row queued all of a round's submits for their
    whole transaction: docs/decisions/0277); they take turns only for the round's results, in
    `update_results_for_scan`. Always the round first, then the scan, so that two changes never
    wait for each other crosswise. SQLite has one writer at a time and no row locks."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            rounds, scans = quoted_table(Round), quoted_table(Scan)
            cursor.execute(
                f"SELECT r.id FROM {rounds} r JOIN {scans} s ON s.{quoted_column(Scan, 'round')}"  # noqa: S608
                f" = r.id WHERE s.id = %s FOR SHARE OF r",
                [scan_id],
            )
    # A new statement: it reads the round as committed after the lock above was granted.
    return Scan.objects.select_for_update(of=("self",)).select_related("round").get(pk=scan_id)


def _submit_once(scan: Scan, by: Any) -> tuple[Scan, bool]:
    with transaction.atomic():
        locked = _lock_for_status_change(scan.pk)
        if locked.status == Scan.Status.SUBMITTED:
            return locked, False
        ensure_editable(locked)
        progress = scan_completeness(
            locked, questionnaire(locked.norm_version_id).applicable(locked.sector)
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
        update_results_for_scan(
            locked.round_id, locked.pk, was_submitted_at=None, now_submitted_at=locked.submitted_at
        )
    return locked, True


def reopen_scan(*, scan: Scan, by: Any, reason: str) -> Scan:
    """Staff reopen a submitted scan; the reason is logged and shown to the school."""
    reason = (reason or "").strip()
    if not reason:
        raise ScanError(_("Geef een reden op; de school ziet die reden."))
    with transaction.atomic():
        locked = _lock_for_status_change(scan.pk)
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
        update_results_for_scan(
            locked.round_id, locked.pk, was_submitted_at=locked.submitted_at, now_submitted_at=None
        )
        locked.refresh_from_db()
    return locked


PENDING_HOURS = 2
PENDING_PER_SCAN = 20
_PENDING_FIELD = re.compile(
    r"^(s\d{1,10}-(value|comment|nvt|version|resolve|loaded-value|loaded-comment|loaded-nvt)"
    r"|reflection|reflection-version|reflection-loaded)$"
)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def keep_step_post(
    *, scan_id: int, step: str, data: dict[str, str], browser_secret: str
) -> str | None:
    """Keep a step form that arrived without a session, for `PENDING_HOURS`, and return the
    token that gets it back (None when nothing is kept: unknown scan, too many waiting).
    Only the step form's own fields are kept; expired forms are deleted here."""
    now = timezone.now()
    PendingStepPost.objects.filter(created_at__lt=now - timedelta(hours=PENDING_HOURS)).delete()
    scan = Scan.objects.filter(pk=scan_id).first()
    if scan is None or PendingStepPost.objects.filter(scan=scan).count() >= PENDING_PER_SCAN:
        return None
    kept = {
        key: value[:MAX_REFLECTION]
        for key, value in data.items()
        if _PENDING_FIELD.match(key) and "\x00" not in value
    }
    token = secrets.token_urlsafe(32)
    PendingStepPost.objects.create(
        token_hash=_digest(token),
        browser_hash=_digest(browser_secret),
        scan=scan,
        step=step[:20],
        data=kept,
    )
    return token


def take_step_post(
    *, token: str, browser_secret: str, scan: Scan, step: str
) -> dict[str, str] | None:
    """The kept form data, once: only in the browser that posted it (its secret cookie), for
    the same scan and step, within `PENDING_HOURS`. Any attempt uses the token up. The caller
    checks that the user may edit the scan."""
    if not token or not browser_secret:
        return None
    with transaction.atomic():
        row = PendingStepPost.objects.filter(token_hash=_digest(token)).first()
        if row is None:
            return None
        row.delete()
    fresh = row.created_at >= timezone.now() - timedelta(hours=PENDING_HOURS)
    same_browser = hmac.compare_digest(row.browser_hash, _digest(browser_secret))
    if not (fresh and same_browser and row.scan_id == scan.pk and row.step == step):
        return None
    return {str(key): str(value) for key, value in row.data.items()}


__all__ = [
    "ReflectionResult",
    "SaveResult",
    "ScanError",
    "ensure_editable",
    "keep_step_post",
    "locked_reason",
    "reopen_scan",
    "save_answer",
    "save_reflection",
    "save_step",
    "set_current_step",
    "submit_scan",
    "take_step_post",
]
