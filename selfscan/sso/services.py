"""Who an OpenID Connect login is, decided without HTTP (docs/decisions/0225).

An OIDC login never creates access. It logs in
1. the account already linked to the provider's (issuer, subject), if that account is active; or
2. an active account with the same verified e-mail address (case-insensitive) that can already
   log in (a usable password, decision 0140), which it then links; or
3. an account whose invitation is open (decision 0021): the login spends the invitation as
   accepting it would, and links.
Anything else is refused with a reason the refusal page explains. Every outcome is audited.
"""

import datetime
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import IntegrityError, transaction
from django.utils import timezone

from selfscan.accounts.models import Invitation, User, normalise_email
from selfscan.audit.services import record

from .models import Identity


@dataclass(frozen=True)
class Provider:
    slug: str
    issuer: str
    client_id: str
    client_secret: str
    label: str
    trust_email: bool = False

    @property
    def metadata_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"


def providers() -> list[Provider]:
    """The configured providers (settings.SSO_PROVIDERS, from the environment); empty: SSO off."""
    return [Provider(**config) for config in settings.SSO_PROVIDERS]  # type: ignore[arg-type]


def get_provider(slug: str) -> Provider | None:
    return next((p for p in providers() if p.slug == slug), None)


# --- Refusals -------------------------------------------------------------------------------

UNKNOWN = "onbekend"
UNVERIFIED = "niet-bevestigd"
INACTIVE = "gedeactiveerd"
NO_ACCESS = "geen-toegang"
FAILED = "mislukt"
REASONS = (UNKNOWN, UNVERIFIED, INACTIVE, NO_ACCESS, FAILED)


@dataclass(frozen=True)
class Refused:
    reason: str
    email: str = ""


@dataclass(frozen=True)
class LoggedIn:
    user: User
    linked: bool = False
    via_invitation: bool = False


def _has_usable_password(user: User) -> bool:
    password = user.password or ""
    return bool(password) and not password.startswith(UNUSABLE_PASSWORD_PREFIX)


def _open_invitation(user: User, now: datetime.datetime) -> Invitation | None:
    return (
        Invitation.objects.select_for_update()
        .filter(user=user, used_at__isnull=True, expires_at__gt=now)
        .order_by("-created_at")
        .first()
    )


def email_is_verified(provider: Provider, claims: dict[str, Any]) -> bool:
    """The provider vouches for the address: `email_verified` is true (a boolean, or the string
    "true" some providers send), or the deployment trusts this provider's addresses."""
    verified = claims.get("email_verified")
    return provider.trust_email or verified is True or str(verified).lower() == "true"


def refuse(provider: Provider, reason: str, email: str = "", detail: str = "") -> Refused:
    changes = {"aanbieder": provider.slug, "reden": reason, "e-mailadres": email or "–"}
    if detail:
        changes["detail"] = detail[:200]
    record(actor=None, action="sso.geweigerd", changes=changes)
    return Refused(reason, email)


def resolve_login(
    provider: Provider, claims: dict[str, Any], now: datetime.datetime | None = None
) -> LoggedIn | Refused:
    """Decide which account the validated ID-token `claims` log in, or why none; audited."""
    now = now or timezone.now()
    subject = str(claims.get("sub") or "")
    email = normalise_email(claims.get("email"))
    if not subject:
        return refuse(provider, FAILED, email, "geen sub-claim")
    with transaction.atomic():
        identity = (
            Identity.objects.select_for_update()
            .select_related("user")
            .filter(issuer=provider.issuer, subject=subject)
            .first()
        )
        if identity is not None:
            user = identity.user
            if not user.is_active:
                return refuse(provider, INACTIVE, user.email)
            identity.last_login_at = now
            identity.save(update_fields=["last_login_at"])
            record(
                actor=user, action="sso.ingelogd", obj=user, changes={"aanbieder": provider.slug}
            )
            return LoggedIn(user)

        if not email:
            return refuse(provider, UNVERIFIED, "", "geen e-mailadres in het ID-token")
        if not email_is_verified(provider, claims):
            return refuse(provider, UNVERIFIED, email)
        found = User.objects.select_for_update().filter(email__iexact=email).first()
        if found is None:
            return refuse(provider, UNKNOWN, email)
        user = found
        if not user.is_active:
            return refuse(provider, INACTIVE, email)
        invitation = None
        if not _has_usable_password(user):
            invitation = _open_invitation(user, now)
            if invitation is None:
                return refuse(provider, NO_ACCESS, email)
        if Identity.objects.filter(user=user, provider=provider.slug).exists():
            # Linked to another subject at this provider already: a second person at the
            # school's provider with the same address must not take the account over.
            return refuse(provider, NO_ACCESS, email, "al gekoppeld aan een ander account")
        try:
            with transaction.atomic():
                Identity.objects.create(
                    user=user,
                    provider=provider.slug,
                    issuer=provider.issuer,
                    subject=subject,
                    email=email,
                    last_login_at=now,
                )
        except IntegrityError:
            return refuse(provider, FAILED, email, "koppeling bestaat al")
        if invitation is not None:
            # As accepting the invitation would: the link is spent, the name taken from the
            # provider if the account has none, and a random password nobody knows makes the
            # account one that "can log in" (decision 0140); "Wachtwoord vergeten" sets a real
            # one for whoever wants to log in with a password as well.
            invitation.used_at = now
            invitation.save(update_fields=["used_at"])
            user.first_name = user.first_name or str(claims.get("given_name") or "")[:150]
            user.last_name = user.last_name or str(claims.get("family_name") or "")[:150]
            user.set_password(secrets.token_urlsafe(32))
            user.save()
            record(actor=user, action="uitnodiging.aanvaard", obj=user)
        record(
            actor=user,
            action="sso.gekoppeld",
            obj=user,
            changes={"aanbieder": provider.slug, "e-mailadres": email},
        )
        record(actor=user, action="sso.ingelogd", obj=user, changes={"aanbieder": provider.slug})
        return LoggedIn(user, linked=True, via_invitation=invitation is not None)


# --- Password login for roles that must use SSO ---------------------------------------------


def password_login_refused(user: Any) -> bool:
    """True when the deployment requires the school's account for this user's role."""
    return bool(providers()) and getattr(user, "role", None) in settings.SSO_REQUIRED_ROLES


def refuse_password_login(user: Any) -> None:
    record(
        actor=user,
        action="sso.wachtwoord_geweigerd",
        obj=user,
        changes={"rol": user.get_role_display()},
    )
