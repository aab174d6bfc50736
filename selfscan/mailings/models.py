"""Which person has had which round e-mail, so a mailing task can run twice without sending
twice (decision 0140). One row per (kind, round, user); the unique constraint is the claim."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SentMail(models.Model):
    class Kind(models.TextChoices):
        ROUND_INVITATION = "ronde-uitnodiging", _("Uitnodiging voor een meetronde")

    kind = models.CharField(_("soort"), max_length=32, choices=Kind.choices)
    round = models.ForeignKey(
        "rounds.Round", on_delete=models.CASCADE, related_name="+", verbose_name=_("meetronde")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("gebruiker"),
    )
    school = models.ForeignKey(
        "organisations.School",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("school"),
    )
    sent_at = models.DateTimeField(_("verstuurd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("verstuurde e-mail")
        verbose_name_plural = _("verstuurde e-mails")
        constraints = [
            models.UniqueConstraint(fields=["kind", "round", "user"], name="mail_once_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.round_id} {self.user_id}"
