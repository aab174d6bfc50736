"""Writes for accounts: invitations, accepting them, roles and links, deactivation.

Every change is written to the audit log. An invitation token is shown once (in the e-mail);
only its SHA-256 is stored, it expires after INVITATION_DAYS and works once.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from selfscan.audit.services import record
from selfscan.organisations.models import Bestuur, School

from .models import Invitation, Role, User

INVITATION_DAYS = 14
LINK_FIELDS = ("schools", "besturen", "wijken")


class InvitationInvalid(Exception):
    """The token is unknown, expired or already used."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def invitation_url(token: str) -> str:
    return settings.SITE_URL + reverse("accounts:invitation_accept", kwargs={"token": token})


def _send_invitation(user: User, token: str, expires_at: datetime.datetime) -> None:
    context = {"user": user, "url": invitation_url(token), "expires_at": expires_at}
    send_mail(
        subject=render_to_string("accounts/invitation_subject.txt", context).strip(),
        message=render_to_string("accounts/invitation_email.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )


def create_invitation(*, user: User, actor: Any, now: datetime.datetime | None = None) -> str:
    """A new invitation for `user`; earlier open invitations stop working. Returns the token
    (for the e-mail; it is not stored). The mail goes out after the transaction commits."""
    now = now or timezone.now()
    token = secrets.token_urlsafe(32)
    expires_at = now + datetime.timedelta(days=INVITATION_DAYS)
    with transaction.atomic():
        user.invitations.filter(used_at__isnull=True).update(expires_at=now)
        Invitation.objects.create(
            user=user,
            token_hash=hash_token(token),
            expires_at=expires_at,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        record(actor=actor, action="uitnodiging.verstuurd", obj=user)
        transaction.on_commit(lambda: _send_invitation(user, token, expires_at))
    return token


def _links_text(user: User) -> dict[str, list[str]]:
    return {name: sorted(str(o) for o in getattr(user, name).all()) for name in LINK_FIELDS}


def invite_user(
    *,
    email: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    schools: Any = (),
    besturen: Any = (),
    wijken: Any = (),
    actor: Any,
) -> tuple[User, str]:
    """Create a user without a usable password and send an invitation."""
    with transaction.atomic():
        user = User(email=email.lower(), username=email.lower(), role=role)
        user.first_name, user.last_name = first_name, last_name
        user.set_unusable_password()
        user.save()
        user.schools.set(schools)
        user.besturen.set(besturen)
        user.wijken.set(wijken)
        record(
            actor=actor,
            action="gebruiker.uitgenodigd",
            obj=user,
            changes={"rol": user.get_role_display(), **_links_text(user)},
        )
        token = create_invitation(user=user, actor=actor)
    return user, token


@dataclass
class BulkResult:
    invited: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def bulk_invite_schools(*, schools: Any, actor: Any) -> BulkResult:
    """Invite each school's contact address as a school team member of that school.

    Addresses that already have an account are skipped (and reported), so running it twice
    sends nothing new.
    """
    result = BulkResult()
    with transaction.atomic():
        existing = set(User.objects.values_list("email", flat=True))
        for school in schools:
            email = (school.contact_email or "").lower()
            if not email or email in existing:
                result.skipped.append(f"{school.name}: {email or '–'}")
                continue
            invite_user(email=email, role=Role.SCHOOL, schools=[school], actor=actor)
            existing.add(email)
            result.invited.append(email)
    return result


def bulk_invite_besturen(*, besturen: Any, actor: Any) -> BulkResult:
    """Invite each bestuur's contact address as board staff of that bestuur; addresses that
    already have an account are skipped."""
    result = BulkResult()
    with transaction.atomic():
        existing = set(User.objects.values_list("email", flat=True))
        for bestuur in besturen:
            email = (bestuur.contact_email or "").lower()
            if not email or email in existing:
                result.skipped.append(f"{bestuur.name}: {email or '–'}")
                continue
            invite_user(email=email, role=Role.BOARD, besturen=[bestuur], actor=actor)
            existing.add(email)
            result.invited.append(email)
    return result


def find_invitation(token: str, now: datetime.datetime | None = None) -> Invitation:
    """The open invitation for `token`, or InvitationInvalid."""
    now = now or timezone.now()
    invitation = (
        Invitation.objects.select_related("user").filter(token_hash=hash_token(token)).first()
    )
    if invitation is None or invitation.used_at is not None or invitation.expires_at <= now:
        raise InvitationInvalid
    return invitation


def accept_invitation(*, token: str, first_name: str, last_name: str, password: str) -> User:
    """Set name and password and spend the invitation (once: the row is locked)."""
    with transaction.atomic():
        now = timezone.now()
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("user")
            .filter(token_hash=hash_token(token))
            .first()
        )
        if invitation is None or invitation.used_at is not None or invitation.expires_at <= now:
            raise InvitationInvalid
        user = invitation.user
        user.first_name, user.last_name = first_name, last_name
        user.set_password(password)
        user.is_active = True
        user.save()
        invitation.used_at = now
        invitation.save(update_fields=["used_at"])
        record(actor=user, action="uitnodiging.aanvaard", obj=user)
    return user


def update_user(*, user: User, data: dict[str, Any], actor: Any) -> User:
    """Change role, links and active state; the audit log gets old → new per field."""
    with transaction.atomic():
        before = {
            "rol": user.get_role_display(),
            "actief": "ja" if user.is_active else "nee",
            **{k: ", ".join(v) for k, v in _links_text(user).items()},
        }
        for key in ("role", "is_active", "first_name", "last_name"):
            if key in data:
                setattr(user, key, data[key])
        if user.role != Role.ADMIN:
            # The flags outrank the role (permissions.is_admin, the Django admin): a demoted
            # administrator must lose them, or the demotion changes nothing.
            user.is_superuser = user.is_staff = False
        user.save()
        if not user.is_active:
            # A deactivated account cannot come back through a link that was still open.
            user.invitations.filter(used_at__isnull=True).update(expires_at=timezone.now())
        for name in LINK_FIELDS:
            if name in data:
                getattr(user, name).set(data[name])
        after = {
            "rol": user.get_role_display(),
            "actief": "ja" if user.is_active else "nee",
            **{k: ", ".join(v) for k, v in _links_text(user).items()},
        }
        changes = {k: [before[k] or "–", after[k] or "–"] for k in before if before[k] != after[k]}
        if changes:
            action = (
                "gebruiker.gedeactiveerd"
                if before["actief"] == "ja" and not user.is_active
                else "gebruiker.gewijzigd"
            )
            record(actor=actor, action=action, obj=user, changes=changes)
    return user


def besturen_with_contact() -> Any:
    return Bestuur.objects.exclude(contact_email="").order_by("name")


def schools_with_contact(sector: str = "") -> Any:
    qs = School.objects.active().exclude(contact_email="").order_by("name")
    return qs.filter(sector=sector) if sector else qs
