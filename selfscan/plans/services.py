"""Writing improvement actions: add, change (with the expected version), all audited.

A change is an UPDATE with the expected version in the WHERE clause: zero rows means someone
else changed the action since the page was loaded, and nothing is written (a conflict). The
page then shows their text beside this person's, so nothing typed is lost.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from selfscan.accounts.models import Role, User
from selfscan.audit.services import record
from selfscan.norms.models import Theme
from selfscan.scans.models import Scan

from .models import MAX_NOTE, MAX_OWNER_NAME, MAX_WHAT, ImprovementAction

FIELDS = ("what", "owner_id", "owner_name", "due_on", "status", "note")
STATUSES = {choice.value for choice in ImprovementAction.Status}


class ActionError(Exception):
    """Bad input: a Dutch message for the person, nothing changed."""


def team_members(school_id: int) -> list[User]:
    """The active school-team accounts of a school: who can own an action by name."""
    return list(
        User.objects.filter(schools__pk=school_id, role=Role.SCHOOL, is_active=True)
        .order_by("first_name", "last_name", "email")
        .distinct()
    )


def clean_values(
    *,
    school_id: int,
    what: str,
    owner_id: Any = None,
    owner_name: str = "",
    due_on: datetime.date | None = None,
    status: str = ImprovementAction.Status.PLANNED,
    note: str = "",
) -> dict[str, Any]:
    """The values as stored, or ActionError with a Dutch message."""
    what = (what or "").strip()
    owner_name = (owner_name or "").strip()
    note = (note or "").strip()
    if not what:
        raise ActionError(_("Beschrijf wat de verbeteractie is."))
    if len(what) > MAX_WHAT or len(note) > MAX_NOTE or len(owner_name) > MAX_OWNER_NAME:
        raise ActionError(_("Een tekst van de verbeteractie is te lang."))
    if any("\x00" in text for text in (what, owner_name, note)):
        raise ActionError(_("Een tekst mag geen nul-tekens bevatten."))
    if status not in STATUSES:
        raise ActionError(_("Kies een status: gepland, bezig, afgerond of vervallen."))
    owner: int | None = None
    if owner_id not in (None, ""):
        try:
            owner = int(owner_id)
        except (TypeError, ValueError):
            raise ActionError(_("Kies een eigenaar uit het team van de school.")) from None
        if owner not in {member.pk for member in team_members(school_id)}:
            raise ActionError(_("Kies een eigenaar uit het team van de school."))
        if owner_name:
            raise ActionError(_("Kies een teamlid óf vul een naam in, niet allebei."))
    return {
        "what": what,
        "owner_id": owner,
        "owner_name": owner_name,
        "due_on": due_on,
        "status": status,
        "note": note,
    }


def _snapshot(action: ImprovementAction) -> dict[str, Any]:
    return {field: getattr(action, field) for field in FIELDS}


def _audit_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value


def add_action(*, scan: Scan, theme: Theme, by: Any, **values: Any) -> ImprovementAction:
    """Record a new improvement action for `theme` of `scan` (the theme must be of the scan's
    norm version)."""
    if theme.version_id != scan.norm_version_id:
        raise ActionError(_("Dit thema hoort niet bij deze zelfscan."))
    clean = clean_values(school_id=scan.school_id, **values)
    with transaction.atomic():
        action = ImprovementAction.objects.create(
            scan=scan, theme=theme, created_by=by, updated_by=by, **clean
        )
        record(
            actor=by,
            action="verbeteractie.toegevoegd",
            obj=action,
            changes={key: [None, _audit_value(value)] for key, value in clean.items()},
        )
    return action


@dataclass(frozen=True)
class UpdateResult:
    status: str  # "saved", "unchanged" or "conflict"
    action: ImprovementAction  # as it is now in the database

    @property
    def conflict(self) -> bool:
        return self.status == "conflict"


def update_action(
    *, action: ImprovementAction, by: Any, expected_version: Any, **values: Any
) -> UpdateResult:
    """Change an action if nobody changed it since `expected_version`. Values not given keep
    their stored value (a status-only form sends only `status`)."""
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        raise ActionError(_("Het formulier is onvolledig. Laad de pagina opnieuw.")) from None
    current = _snapshot(action)
    merged = {**current, **values}
    clean = clean_values(school_id=action.scan.school_id, **merged)
    with transaction.atomic():
        now = ImprovementAction.objects.select_for_update().get(pk=action.pk)
        if now.version != expected:
            if _snapshot(now) == clean:
                return UpdateResult("unchanged", now)
            return UpdateResult("conflict", now)
        before = _snapshot(now)
        if before == clean:
            return UpdateResult("unchanged", now)
        updated = ImprovementAction.objects.filter(pk=now.pk, version=expected).update(
            **clean, version=F("version") + 1, updated_by=by, updated_at=timezone.now()
        )
        now.refresh_from_db()
        if not updated:  # pragma: no cover - the row lock above makes this unreachable
            return UpdateResult("conflict", now)
        record(
            actor=by,
            action="verbeteractie.gewijzigd",
            obj=now,
            changes={
                key: [_audit_value(before[key]), _audit_value(clean[key])]
                for key in FIELDS
                if before[key] != clean[key]
            },
        )
    return UpdateResult("saved", now)


def is_overdue(action: ImprovementAction, today: datetime.date | None = None) -> bool:
    """Open (gepland or bezig) with a due date before today."""
    today = today or timezone.localdate()
    return action.is_open and action.due_on is not None and action.due_on < today


def delete_action(*, action: ImprovementAction, by: Any, expected_version: Any) -> bool:
    """Delete an action if nobody changed it since the confirmation page showed
    `expected_version`; the audit log keeps what it said. False (nothing deleted) when it was
    changed meanwhile; an action that is already gone counts as deleted."""
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        raise ActionError(_("Het formulier is onvolledig. Laad de pagina opnieuw.")) from None
    with transaction.atomic():
        now = ImprovementAction.objects.select_for_update().filter(pk=action.pk).first()
        if now is None:
            return True
        if now.version != expected:
            return False
        record(
            actor=by,
            action="verbeteractie.verwijderd",
            obj=now,
            changes={key: [_audit_value(value), None] for key, value in _snapshot(now).items()},
        )
        now.delete()
    return True
