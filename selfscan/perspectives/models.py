"""Team perspectives (issue 15): in a round with `team_perspectives`, every team member first
answers the statements on their own; the team then fixes the school answer (scans.Answer).

Individual answers live apart from the school's answers, so scoring, aggregation, exports and
imports (which read scans.Answer only) never see them (docs/decisions/0180).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TeamPerspective(models.Model):
    """One team member's own view on one scan: their function and how far they are."""

    scan = models.ForeignKey("scans.Scan", on_delete=models.CASCADE, related_name="perspectives")
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    function = models.CharField(_("functie"), max_length=40)
    current_step = models.CharField(max_length=20, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)

    class Meta:
        verbose_name = _("teamperspectief")
        verbose_name_plural = _("teamperspectieven")
        constraints = [
            models.UniqueConstraint(fields=["scan", "user"], name="unique_perspective_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.scan_id}/{self.user_id} ({self.function})"

    @property
    def function_label(self) -> str:
        from .rules import function_label

        return function_label(self.function)


class IndividualAnswer(models.Model):
    """One member's own answer to one statement; optimistic locking by `version` as for the
    school's answers (only its owner writes it, but two tabs or devices may)."""

    perspective = models.ForeignKey(
        TeamPerspective, on_delete=models.CASCADE, related_name="answers"
    )
    statement = models.ForeignKey("norms.Statement", on_delete=models.PROTECT, related_name="+")
    value = models.CharField(_("antwoord"), max_length=10, blank=True)
    comment = models.TextField(_("toelichting"), blank=True, max_length=2000)
    nvt_explanation = models.TextField(_("uitleg n.v.t."), blank=True, max_length=2000)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["perspective", "statement"], name="unique_individual_answer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.perspective_id}/{self.statement_id}: {self.value or '-'}"
