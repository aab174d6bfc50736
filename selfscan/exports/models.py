"""Export jobs: a large export runs as a Celery task; only the requester may download it."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from selfscan.core.jobs import STALLED, UNAVAILABLE

SCHOOL_REPORT = "schoolrapport"


class ExportJob(models.Model):
    class Status(models.TextChoices):
        PENDING = "wachtend", _("Wachtend")
        RUNNING = "bezig", _("Bezig")
        DONE = "klaar", _("Klaar")
        FAILED = "mislukt", _("Mislukt")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs"
    )
    round = models.ForeignKey("rounds.Round", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    # A school report PDF (kind "schoolrapport") is of one scan, rendered in the requester's
    # language (field below; decision 0232); the other kinds leave it empty.
    scan = models.ForeignKey(
        "scans.Scan", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    file_format = models.CharField(max_length=5)
    # The requester's interface language: the worker writes the file in it (CSV variant, sheet
    # names), as the synchronous download does (docs/decisions/0235).
    language = models.CharField(max_length=7, default="nl")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)
    # How often a task started this job since it was asked for (or tried again): core.jobs.
    attempts = models.PositiveSmallIntegerField(default=0)
    file_name = models.CharField(max_length=200, blank=True)
    content = models.BinaryField(blank=True, default=b"")
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The last sign of life of the job (queued, started, progress): the sweeper marks a job
    # without one for too long as failed (selfscan/core/sweeper.py).
    updated_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind}.{self.file_format} ({self.status})"

    @property
    def is_school_report(self) -> bool:
        return self.kind == SCHOOL_REPORT

    @property
    def is_running(self) -> bool:
        return self.status in {self.Status.PENDING, self.Status.RUNNING}

    @property
    def not_started(self) -> bool:
        """Failed because the background service could not be reached."""
        return self.status == self.Status.FAILED and self.error == UNAVAILABLE

    @property
    def stalled(self) -> bool:
        """Failed because it stopped without a result (the sweeper gave up on it)."""
        return self.status == self.Status.FAILED and self.error == STALLED

    @property
    def may_retry(self) -> bool:
        """A failed job can be started again from its page (nothing of it was kept)."""
        return self.status == self.Status.FAILED
