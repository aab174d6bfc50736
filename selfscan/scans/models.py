"""A school's zelfscan in a round, its answers (one row per statement, optimistic locking by
`version`), the history of every change, and the school's reflection per theme.

A Scan is created for each invited school when a round opens; it holds the snapshot of the
school's sector, wijk, stadsdeel and bestuur at that moment, which aggregation groups by.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scan(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "niet_gestart", _("Niet gestart")
        IN_PROGRESS = "bezig", _("Bezig")
        SUBMITTED = "ingediend", _("Ingediend")

    round = models.ForeignKey("rounds.Round", on_delete=models.PROTECT, related_name="scans")
    school = models.ForeignKey(
        "organisations.School", on_delete=models.PROTECT, related_name="scans"
    )
    norm_version = models.ForeignKey(
        "norms.NormVersion", on_delete=models.PROTECT, related_name="scans"
    )
    # Snapshot of the register when the round opened.
    sector = models.CharField(_("sector"), max_length=2)
    subtype = models.CharField(_("soort"), max_length=20, blank=True)
    wijk = models.ForeignKey(
        "organisations.Wijk", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    stadsdeel = models.ForeignKey(
        "organisations.Stadsdeel", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    bestuur = models.ForeignKey("organisations.Bestuur", on_delete=models.PROTECT, related_name="+")

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    current_step = models.CharField(max_length=20, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_reminded_on = models.DateField(null=True, blank=True)
    imported_at = models.DateTimeField(null=True, blank=True)
    imported_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    imported_from = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = _("zelfscan")
        verbose_name_plural = _("zelfscans")
        ordering = ["round", "school__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "school"], name="unique_scan_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.round} – {self.school}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class Answer(models.Model):
    """One statement's answer. `value` is a scale code, NVT, or empty (not answered)."""

    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="answers")
    statement = models.ForeignKey("norms.Statement", on_delete=models.PROTECT, related_name="+")
    value = models.CharField(_("antwoord"), max_length=10, blank=True)
    comment = models.TextField(_("toelichting"), blank=True, max_length=2000)
    nvt_explanation = models.TextField(_("uitleg n.v.t."), blank=True, max_length=2000)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scan", "statement"], name="unique_answer")]

    def __str__(self) -> str:
        return f"{self.scan_id}/{self.statement_id}: {self.value or '-'}"


class AnswerChange(models.Model):
    """Every change of an answer: who, when, old and new value. Never updated or deleted."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="changes")
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    old_value = models.CharField(max_length=10, blank=True)
    new_value = models.CharField(max_length=10, blank=True)
    old_comment = models.TextField(blank=True)
    new_comment = models.TextField(blank=True)
    old_nvt_explanation = models.TextField(blank=True)
    new_nvt_explanation = models.TextField(blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.old_value or '-'} -> {self.new_value or '-'}"


class ThemeReflection(models.Model):
    """Per theme the school's own reflection (its improvement actions: selfscan/plans)."""

    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="reflections")
    theme = models.ForeignKey("norms.Theme", on_delete=models.PROTECT, related_name="+")
    reflection = models.TextField(_("reflectie"), blank=True, max_length=4000)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scan", "theme"], name="unique_reflection")]

    def __str__(self) -> str:
        return f"{self.scan_id}/{self.theme_id}"


class ScanEvent(models.Model):
    """Submitted, reopened (with a reason shown to the school), imported."""

    class Kind(models.TextChoices):
        SUBMITTED = "ingediend", _("Ingediend")
        REOPENED = "heropend", _("Heropend")
        IMPORTED = "geimporteerd", _("Geïmporteerd")

    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reason = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"


class ReflectionChange(models.Model):
    """Every change of a theme's reflection (and, before issue 15, of its single improvement
    action text: `old_action`/`new_action` keep that history). Never updated or deleted."""

    reflection = models.ForeignKey(
        ThemeReflection, on_delete=models.CASCADE, related_name="changes"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    old_reflection = models.TextField(blank=True)
    new_reflection = models.TextField(blank=True)
    old_action = models.TextField(blank=True)
    new_action = models.TextField(blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.reflection_id} {self.changed_at:%Y-%m-%d %H:%M}"


class PendingStepPost(models.Model):
    """A step form posted after the session ended, kept (briefly, once) for after the login.

    Only hashes of the token (in the login's `next` URL) and of the browser secret (a cookie of
    the browser that posted) are stored; both are needed to get the data back, into the same
    scan and step, by a user who may edit the scan (docs/decisions/0100).
    """

    token_hash = models.CharField(max_length=64, unique=True)
    browser_hash = models.CharField(max_length=64)
    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="+")
    step = models.CharField(max_length=20)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.scan_id}/{self.step} {self.created_at:%Y-%m-%d %H:%M}"
