"""Writes to the register. Each service owns its transaction and logs to the audit log;
django-simple-history keeps every version of a school with who changed it."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from selfscan.audit.services import record

from .importer import FIELD_LABELS, Plan, Register, describe, plan_import
from .models import Bestuur, RegisterUpload, School


class ImportRefused(Exception):
    """The file has errors (or changed since the dry run); nothing was written."""

    def __init__(self, plan: Plan) -> None:
        super().__init__(f"{len(plan.errors)} fout(en) in {plan.filename}")
        self.plan = plan


def keep_register_upload(
    *,
    user: Any,
    content: bytes,
    file_name: str,
    sha256: str,
    close_missing: bool,
    report: dict[str, Any] | None = None,
) -> RegisterUpload:
    """Keep a dry-run file for `user` until the confirmation. The user's earlier files and every
    file older than RegisterUpload.KEPT_FOR are deleted: one file waits per user at most."""
    with transaction.atomic():
        expired = timezone.now() - RegisterUpload.KEPT_FOR
        RegisterUpload.objects.filter(uploaded_by=user).delete()
        RegisterUpload.objects.filter(uploaded_at__lt=expired).delete()
        return RegisterUpload.objects.create(
            uploaded_by=user,
            file_name=file_name[:255],
            sha256=sha256,
            close_missing=close_missing,
            content=content,
            report=report,
        )


def discard_register_upload(upload: RegisterUpload) -> None:
    """The file was applied or refused: it no longer waits."""
    RegisterUpload.objects.filter(pk=upload.pk).delete()


def _audit_changes(changes: dict[str, tuple[Any, Any]]) -> dict[str, list[str]]:
    return {
        FIELD_LABELS.get(key, key): [describe(old), describe(new)]
        for key, (old, new) in changes.items()
    }


def _save_with_history(obj: Any, actor: Any, reason: str) -> None:
    if getattr(actor, "pk", None):
        obj._history_user = actor
    obj._change_reason = reason
    obj.save()


def apply_register_import(
    content: bytes,
    filename: str,
    *,
    actor: Any,
    gemeente: str = "Almere",
    close_missing: bool = False,
    today: datetime.date | None = None,
) -> Plan:
    """Re-validate the file against the register as it is now and apply it in one transaction.

    Raises ImportRefused (nothing written) when any row is wrong. Applying the same file twice
    changes nothing the second time.
    """
    with transaction.atomic():
        # Lock the register's rows so two imports cannot interleave.
        list(School.objects.select_for_update().values_list("pk", flat=True))
        plan = plan_import(
            content,
            filename,
            gemeente=gemeente,
            close_missing=close_missing,
            today=today,
            register=Register.load(),
        )
        if not plan.ok:
            raise ImportRefused(plan)
        reason = f"import {filename}"
        besturen: dict[str, Bestuur] = {}
        for number, name in plan.new_besturen.items():
            bestuur = Bestuur(bevoegd_gezag_nummer=number, name=name)
            _save_with_history(bestuur, actor, reason)
            besturen[number] = bestuur
            record(actor=actor, action="bestuur.aangemaakt", obj=bestuur, changes={"bron": reason})

        def resolve(value: Any) -> Any:
            return besturen[value] if isinstance(value, str) else value

        for create in plan.creates:
            values = dict(create.values)
            values["bestuur"] = resolve(values["bestuur"])
            school = School(**values)
            _save_with_history(school, actor, reason)
            record(
                actor=actor,
                action="school.aangemaakt",
                obj=school,
                changes={"bron": reason, "rij": create.row},
            )
        for change in plan.changes:
            school = change.school
            for key, (_old, new) in change.changes.items():
                setattr(school, key, resolve(new) if key == "bestuur" else new)
            _save_with_history(school, actor, reason)
            record(
                actor=actor,
                action="school.gewijzigd",
                obj=school,
                changes={**_audit_changes(change.changes), "bron": [reason]},
            )
        for school in plan.closes:
            old = school.active_to
            school.active_to = plan.close_on
            _save_with_history(school, actor, reason)
            record(
                actor=actor,
                action="school.gesloten",
                obj=school,
                changes={
                    FIELD_LABELS["active_to"]: [describe(old), describe(plan.close_on)],
                    "bron": [reason],
                },
            )
        record(
            actor=actor,
            action="register.geimporteerd",
            changes={
                "bestand": filename,
                "nieuw": len(plan.creates),
                "gewijzigd": len(plan.changes),
                "gesloten": len(plan.closes),
                "ongewijzigd": plan.unchanged,
                "overgeslagen": plan.skipped,
            },
        )
    return plan


def _label(model: Any, name: str) -> str:
    return str(getattr(model._meta.get_field(name), "verbose_name", name))


def _diff(obj: Any, data: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    changes = {}
    for key, new in data.items():
        old = getattr(obj, key)
        if old != new:
            changes[key] = (old, new)
    return changes


def save_school(*, school: School | None, data: dict[str, Any], actor: Any) -> School:
    """Create a school (school=None) or change one; logs the changed fields."""
    with transaction.atomic():
        if school is None:
            school = School(**data)
            _save_with_history(school, actor, "aangemaakt")
            record(actor=actor, action="school.aangemaakt", obj=school)
            return school
        changes = _diff(school, data)
        if not changes:
            return school
        for key, (_old, new) in changes.items():
            setattr(school, key, new)
        _save_with_history(school, actor, "gewijzigd")
        record(
            actor=actor,
            action="school.gewijzigd",
            obj=school,
            changes={
                _label(School, k): [describe(o), describe(n)] for k, (o, n) in changes.items()
            },
        )
        return school


def save_bestuur(*, bestuur: Bestuur | None, data: dict[str, Any], actor: Any) -> Bestuur:
    """Create a bestuur (bestuur=None) or change one; logs the changed fields."""
    with transaction.atomic():
        if bestuur is None:
            bestuur = Bestuur(**data)
            _save_with_history(bestuur, actor, "aangemaakt")
            record(actor=actor, action="bestuur.aangemaakt", obj=bestuur)
            return bestuur
        changes = _diff(bestuur, data)
        if not changes:
            return bestuur
        for key, (_old, new) in changes.items():
            setattr(bestuur, key, new)
        _save_with_history(bestuur, actor, "gewijzigd")
        record(
            actor=actor,
            action="bestuur.gewijzigd",
            obj=bestuur,
            changes={
                _label(Bestuur, k): [describe(o), describe(n)] for k, (o, n) in changes.items()
            },
        )
        return bestuur


def save_area(*, obj: Any, model: Any, data: dict[str, Any], actor: Any) -> Any:
    """Create (obj=None) or change a wijk or stadsdeel; logs the changed fields."""
    kind = model._meta.model_name
    with transaction.atomic():
        if obj is None:
            obj = model(**data)
            _save_with_history(obj, actor, "aangemaakt")
            record(actor=actor, action=f"{kind}.aangemaakt", obj=obj)
            return obj
        changes = _diff(obj, data)
        if not changes:
            return obj
        for key, (_old, new) in changes.items():
            setattr(obj, key, new)
        _save_with_history(obj, actor, "gewijzigd")
        record(
            actor=actor,
            action=f"{kind}.gewijzigd",
            obj=obj,
            changes={_label(model, k): [describe(o), describe(n)] for k, (o, n) in changes.items()},
        )
        return obj
