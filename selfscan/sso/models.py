"""A link between an account and the identity (issuer + subject) a school's provider vouches for.

The link is made once, on the first OpenID Connect login, from the verified e-mail address
(`selfscan.sso.services.resolve_login`); later logins find the account by the provider's stable
subject, so a changed address at the provider does not lose the account.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Identity(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sso_identities",
        verbose_name=_("gebruiker"),
    )
    provider = models.CharField(_("aanbieder"), max_length=64)
    issuer = models.CharField(_("uitgever"), max_length=255)
    subject = models.CharField(_("kenmerk bij de aanbieder"), max_length=255)
    email = models.EmailField(_("e-mailadres bij het koppelen"))
    linked_at = models.DateTimeField(_("gekoppeld op"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("laatst ingelogd"), null=True, blank=True)

    class Meta:
        verbose_name = _("koppeling met een schoolaccount")
        verbose_name_plural = _("koppelingen met een schoolaccount")
        ordering = ["user__email", "provider"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="sso_identity_unique"),
            models.UniqueConstraint(fields=["user", "provider"], name="sso_one_link_per_provider"),
        ]

    def __str__(self) -> str:
        return f"{self.user.email} ({self.provider})"
