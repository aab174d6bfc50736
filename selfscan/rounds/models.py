"""Measurement rounds: a yearly zelfscan with a norm version per sector, dates and a threshold."""

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from selfscan.norms.models import NormVersion


class Round(models.Model):
    class Status(models.TextChoices):
        DRAFT = "concept", _("Concept")
        SCHEDULED = "gepland", _("Gepland")
        OPEN = "open", _("Open")
        CLOSED = "gesloten", _("Gesloten")
        PUBLISHED = "gepubliceerd", _("Gepubliceerd")

    name = models.CharField(_("naam"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    version_po = models.ForeignKey(
        "norms.NormVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rounds_po",
        verbose_name=_("normversie PO"),
    )
    version_vo = models.ForeignKey(
        "norms.NormVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rounds_vo",
        verbose_name=_("normversie VO"),
    )
    version_sv = models.ForeignKey(
        "norms.NormVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rounds_sv",
        verbose_name=_("normversie SV"),
    )
    opens_on = models.DateField(_("opent op"))
    closes_on = models.DateField(_("sluit op"), help_text=_("Laatste dag waarop scholen invullen."))
    threshold_percent = models.PositiveSmallIntegerField(_("drempel (%)"), default=85)
    nvt_review_percent = models.PositiveSmallIntegerField(_("signaal n.v.t. boven (%)"), default=20)
    min_group_size = models.PositiveSmallIntegerField(_("kleinste groep"), default=3)
    # Issue 15: every team member answers on their own first, then the team fixes the school
    # answers (selfscan.perspectives). Off: the scan works as it always did.
    team_perspectives = models.BooleanField(
        _("teamperspectieven"),
        default=False,
        help_text=_(
            "Elk teamlid vult de stellingen eerst zelf in; daarna legt het team per stelling "
            "het schoolantwoord vast."
        ),
    )
    reminder_days_before = models.PositiveSmallIntegerField(
        _("herinnering dagen vooraf"), default=7
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_rounds",
        verbose_name=_("vorige ronde"),
    )
    invited_schools = models.ManyToManyField(
        "organisations.School",
        blank=True,
        related_name="invited_to_rounds",
        verbose_name=_("uitgenodigde scholen"),
        help_text=_("Leeg: alle actieve scholen van de sectoren met een normversie."),
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    # Why staff reopened the round or moved its closing date: schools see it while it is open.
    notice = models.TextField(_("mededeling aan scholen"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("meetronde")
        verbose_name_plural = _("meetrondes")
        ordering = ["-opens_on"]

    def __str__(self) -> str:
        return self.name

    def version_for(self, sector: str) -> "NormVersion | None":
        return {"PO": self.version_po, "VO": self.version_vo, "SV": self.version_sv}.get(sector)
