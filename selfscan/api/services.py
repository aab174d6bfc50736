"""Writing API tokens: create, revoke, and count a use (audited once per token per day)."""

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from selfscan.audit.services import record

from . import tokens
from .models import ApiToken, ApiTokenDay

EXPIRY_CHOICES_DAYS = (30, 90, 180, 365)


@transaction.atomic
def create_token(*, user: Any, name: str, days: int) -> tuple[ApiToken, str]:
    """Make a token for `user`; returns the record and the token text (shown once, not stored)."""
    if days not in EXPIRY_CHOICES_DAYS:
        raise ValueError(days)
    text, prefix, key_hash = tokens.new_token()
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=prefix,
        key_hash=key_hash,
        expires_at=timezone.now() + timedelta(days=days),
    )
    record(
        actor=user,
        action="api_token.aangemaakt",
        obj=token,
        changes={"naam": token.name, "verloopt": token.expires_at.date().isoformat()},
    )
    return token, text


@transaction.atomic
def revoke_token(*, user: Any, token: ApiToken) -> None:
    """Revoke one of `user`'s own tokens (idempotent)."""
    updated = ApiToken.objects.filter(pk=token.pk, user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if updated:
        record(actor=user, action="api_token.ingetrokken", obj=token)


def find_token(text: str) -> ApiToken | None:
    """The usable token `text` stands for, or None (unknown, malformed, expired, revoked, or
    its owner deactivated)."""
    prefix = tokens.prefix_of(text)
    if prefix is None:
        return None
    key_hash = tokens.hash_token(text)
    token = ApiToken.objects.select_related("user").filter(prefix=prefix, key_hash=key_hash).first()
    if token is None or not tokens.same_hash(token.key_hash, key_hash):
        return None
    if not token.is_usable() or not token.user.is_active:
        return None
    return token


@transaction.atomic
def note_use(token: ApiToken) -> None:
    """Count a request with `token`: last used now, one more for today; the first use of a day
    writes one audit event."""
    now = timezone.now()
    day = timezone.localdate(now)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
    updated = ApiTokenDay.objects.filter(token=token, day=day).update(requests=F("requests") + 1)
    if updated:
        return
    _, created = ApiTokenDay.objects.get_or_create(token=token, day=day, defaults={"requests": 1})
    if created:
        record(
            actor=token.user,
            action="api_token.gebruikt",
            obj=token,
            changes={"dag": day.isoformat()},
        )
    else:
        ApiTokenDay.objects.filter(token=token, day=day).update(requests=F("requests") + 1)
