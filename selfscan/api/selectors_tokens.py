from typing import Any

from django.db.models import QuerySet

from .models import ApiToken


def tokens_of(user: Any) -> QuerySet[ApiToken]:
    """A user's own tokens (nobody sees another's), newest first."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")
