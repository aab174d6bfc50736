"""The audit log: who changed what, when. Written only through `selfscan.audit.services.record`."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    at = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(_("door"), max_length=255, blank=True)
    action = models.CharField(_("actie"), max_length=64, db_index=True)
    object_type = models.CharField(_("soort object"), max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    changes = models.JSONField(_("wijzigingen"), default=dict, blank=True)

    class Meta:
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditlog")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    @property
    def action_label(self) -> str:
        from .labels import action_label

        return action_label(self.action)

    def change_lines(self) -> list[str]:
        """The changes as text: `field: old → new` for [old, new] pairs, else `key: value`."""
        lines = []
        for key, value in (self.changes or {}).items():
            if isinstance(value, list) and len(value) == 2:
                lines.append(f"{key}: {value[0]} → {value[1]}")
            elif isinstance(value, list):
                lines.append(f"{key}: {', '.join(str(v) for v in value)}")
            else:
                lines.append(f"{key}: {value}")
        return lines
