"""Reads of the audit log."""

from django.db.models import Q, QuerySet

from .models import AuditEvent


def audit_events(*, actor: str = "", action: str = "", obj: str = "") -> QuerySet[AuditEvent]:
    """Events newest first, filtered by actor e-mail, action prefix and object text or type."""
    qs = AuditEvent.objects.all()
    if actor:
        qs = qs.filter(actor_label__icontains=actor)
    if action:
        qs = qs.filter(action__startswith=action)
    if obj:
        qs = qs.filter(Q(object_repr__icontains=obj) | Q(object_type__icontains=obj))
    return qs.order_by("-at", "-id")


def known_actions() -> list[str]:
    return list(AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct())
