"""Reads for the user management pages."""

from typing import Any

from django.db.models import Q, QuerySet

from . import permissions as perms
from .models import User


def user_list(viewer: Any, *, q: str = "", role: str = "") -> QuerySet[User]:
    """Users `viewer` may manage, with their links prefetched (one query per relation)."""
    qs = perms.visible_users(viewer).prefetch_related("schools", "besturen", "wijken")
    if q:
        qs = qs.filter(
            Q(email__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q)
        )
    if role:
        qs = qs.filter(role=role)
    return qs.order_by("email")
