"""Users and their roles.

A user has one role. School team members are linked to one or more schools (an intern
begeleider may work at two), board staff to one or more besturen, advisers to a set of schools
and/or wijken. Partnership staff and administrators see everything. What each role may see is
decided in `selfscan.accounts.permissions`, nowhere else.
"""

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SCHOOL = "school", _("Schoolteam")
    BOARD = "board", _("Bestuur")
    ADVISER = "adviser", _("Adviseur")
    STAFF = "staff", _("Samenwerkingsverband")
    ADMIN = "admin", _("Beheerder")


def normalise_email(email: str | None) -> str:
    """The form in which addresses are stored and looked up: trimmed and lower case."""
    return (email or "").strip().lower()


def axes_username(request: Any, credentials: dict[str, Any] | None = None) -> str:
    """The key of django-axes' lockout: the normalised address, so that "A@x.nl" and "a@x.nl"
    count against one account (AXES_USERNAME_CALLABLE)."""
    source = credentials or getattr(request, "data", None) or request.POST
    return normalise_email(source.get("username"))


class EmailUserManager(UserManager["User"]):
    """Users log in with their e-mail address; `username` mirrors it."""

    def _normalise(self, email: str | None) -> str:
        return normalise_email(email)

    def get_by_natural_key(self, username: str | None) -> "User":
        # Addresses are stored in lower case; a login typed in capitals finds its account.
        return self.get(**{self.model.USERNAME_FIELD: normalise_email(username)})

    def create_user(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> "User":
        email = self._normalise(email)
        extra.setdefault("username", email)
        return super().create_user(email=email, password=password, **extra)

    def create_superuser(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> "User":
        email = self._normalise(email)
        extra.setdefault("username", email)
        extra.setdefault("role", Role.ADMIN)
        return super().create_superuser(email=email, password=password, **extra)


class User(AbstractUser):
    email = models.EmailField(_("e-mailadres"), unique=True)
    role = models.CharField(_("rol"), max_length=16, choices=Role.choices, default=Role.SCHOOL)
    schools = models.ManyToManyField(
        "organisations.School", blank=True, related_name="members", verbose_name=_("scholen")
    )
    besturen = models.ManyToManyField(
        "organisations.Bestuur", blank=True, related_name="members", verbose_name=_("besturen")
    )
    wijken = models.ManyToManyField(
        "organisations.Wijk", blank=True, related_name="advisers", verbose_name=_("wijken")
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["username"]

    objects: ClassVar[EmailUserManager] = EmailUserManager()

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = (self.email or "").lower()
        if not self.username:
            self.username = self.email
        super().save(*args, **kwargs)


class Invitation(models.Model):
    """An e-mailed link to set a name and password. Only the SHA-256 of the token is stored;
    the link expires and works once (`used_at`)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("verloopt op"))
    used_at = models.DateTimeField(_("gebruikt op"), null=True, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user.email} ({self.created_at:%Y-%m-%d})"
