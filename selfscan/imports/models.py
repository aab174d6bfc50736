"""A record of every results file uploaded for a round, which is also its background job: the
dry run (waiting, checking, then rejected or checked), and after confirmation the import
(applying, then applied or rejected). The bytes are kept so that applying re-validates exactly the
file that was checked; the dry run's outcome is kept as a summary in `report`."""

from datetime import timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from selfscan.core.jobs import STALLED, UNAVAILABLE

# A dry run or import without progress for this long will not finish: its worker stopped.
STUCK_AFTER = timedelta(minutes=30)
# A checked file not confirmed within this time is no longer applied; it is deleted later.
PENDING_KEPT_FOR = timedelta(days=2)


class RoundImport(models.Model):
    class Status(models.TextChoices):
        WAITING = "wachtend", _("Wacht op de proefimport")
        CHECKING = "controleren", _("Proefimport bezig")
        REJECTED = "afgekeurd", _("Fouten gevonden, niet toegepast")
        CHECKED = "gecontroleerd", _("Gecontroleerd, nog niet toegepast")
        APPLYING = "toepassen", _("Wordt toegepast")
        APPLIED = "toegepast", _("Toegepast")
        FAILED = "mislukt", _("Mislukt, niet toegepast")

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
    # The background job: progress of the dry run (0-100), its outcome, and who confirmed.
    progress = models.PositiveSmallIntegerField(_("voortgang"), default=0)
    # How often a task started the current step (dry run or import): core.jobs.MAX_ATTEMPTS.
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    report = models.JSONField(_("uitkomst van de proefimport"), default=dict, blank=True)
    error = models.CharField(_("fout"), max_length=200, blank=True)
    # The uploader's interface language: the job writes the problems in it.
    language = models.CharField(_("taal"), max_length=10, blank=True)
    updated_at = models.DateTimeField(_("bijgewerkt op"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("bevestigd op"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

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

    @property
    def is_running(self) -> bool:
        """Waiting for or inside a background job (the page refreshes itself)."""
        return self.status in {self.Status.WAITING, self.Status.CHECKING, self.Status.APPLYING}

    @property
    def is_stuck(self) -> bool:
        return self.is_running and self.updated_at < timezone.now() - STUCK_AFTER

    @property
    def not_started(self) -> bool:
        """Failed because the background service could not be reached."""
        return self.status == self.Status.FAILED and self.error == UNAVAILABLE

    @property
    def stalled(self) -> bool:
        """Failed because it stopped without a result (the sweeper gave up on it)."""
        return self.status == self.Status.FAILED and self.error == STALLED

    @property
    def is_expired(self) -> bool:
        """A checked file that was not confirmed in time can no longer be applied."""
        return self.status == self.Status.CHECKED and (
            self.uploaded_at < timezone.now() - PENDING_KEPT_FOR
        )
