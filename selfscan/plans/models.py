"""Verbeteracties: a school's improvement actions per scan and theme (issue 15).

Several per theme: what, an owner (a team member of the school or a free name), a due date, a
status and a note. Each row carries a `version` for optimistic locking: a save is an update
with the expected version in the WHERE clause, so two team members never silently overwrite
each other. Every change is logged in the audit log (selfscan/plans/services.py).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_WHAT = 2000
MAX_NOTE = 2000
MAX_OWNER_NAME = 200


class ImprovementAction(models.Model):
    class Status(models.TextChoices):
        PLANNED = "gepland", _("Gepland")
        IN_PROGRESS = "bezig", _("Bezig")
        DONE = "afgerond", _("Afgerond")
        DROPPED = "vervallen", _("Vervallen")

    scan = models.ForeignKey(
        "scans.Scan", on_delete=models.CASCADE, related_name="improvement_actions"
    )
    theme = models.ForeignKey("norms.Theme", on_delete=models.PROTECT, related_name="+")
    what = models.TextField(_("verbeteractie"), max_length=MAX_WHAT)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("eigenaar (teamlid)"),
    )
    owner_name = models.CharField(_("eigenaar (naam)"), max_length=MAX_OWNER_NAME, blank=True)
    due_on = models.DateField(_("uiterlijk klaar op"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    note = models.TextField(_("notitie"), max_length=MAX_NOTE, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("verbeteractie")
        verbose_name_plural = _("verbeteracties")
        ordering = ["scan", "theme__order", "due_on", "pk"]
        indexes = [models.Index(fields=["scan", "theme"], name="plans_action_scan_theme")]

    def __str__(self) -> str:
        return self.what[:80]

    @property
    def owner_label(self) -> str:
        """The owner as shown: the team member's name (or e-mail), else the free name."""
        if self.owner is not None:
            return self.owner.get_full_name() or self.owner.email
        return self.owner_name

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


OPEN_STATUSES = frozenset({ImprovementAction.Status.PLANNED, ImprovementAction.Status.IN_PROGRESS})
