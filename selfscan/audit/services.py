"""Writing the audit log. Call `record` inside the service's transaction."""

from typing import Any

from django.db import models

from .models import AuditEvent


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Log that `actor` did `action` to `obj`; `changes` maps field -> [old, new] or any detail."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=str(getattr(actor, "email", "") or "systeem"),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        changes=changes or {},
    )
