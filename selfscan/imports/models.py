"""A record of every results file uploaded for a round: checked (waiting for confirmation) or
applied. The bytes are kept so that applying re-validates exactly the file that was checked."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RoundImport(models.Model):
    class Status(models.TextChoices):
        CHECKED = "gecontroleerd", _("Gecontroleerd, nog niet toegepast")
        APPLIED = "toegepast", _("Toegepast")

    class Layout(models.TextChoices):
        AUTO = "", _("Automatisch herkennen")
        WIDE = "wide", _("Breed: één rij per school")
        LONG = "long", _("Lang: één rij per school en stelling")

    round = models.ForeignKey(
        "rounds.Round", on_delete=models.PROTECT, related_name="imports", verbose_name=_("ronde")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CHECKED
    )
    file_name = models.CharField(_("bestand"), max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(_("grootte (bytes)"), default=0)
    layout = models.CharField(_("indeling"), max_length=10, choices=Layout.choices, blank=True)
    content = models.BinaryField(editable=False)
    uploaded_at = models.DateTimeField(_("geüpload op"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    applied_at = models.DateTimeField(_("toegepast op"), null=True, blank=True)
    applied_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    schools_count = models.PositiveIntegerField(_("scholen"), default=0)
    complete_count = models.PositiveIntegerField(_("volledig"), default=0)
    answers_count = models.PositiveIntegerField(_("antwoorden"), default=0)

    class Meta:
        verbose_name = _("import van resultaten")
        verbose_name_plural = _("imports van resultaten")
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            # The same file is applied to a round at most once.
            models.UniqueConstraint(
                fields=["round", "sha256"],
                condition=Q(status="toegepast"),
                name="unique_applied_import_file",
            )
        ]

    def __str__(self) -> str:
        return f"{self.round} – {self.file_name}"

    @property
    def is_applied(self) -> bool:
        return self.status == self.Status.APPLIED
