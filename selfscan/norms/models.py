"""Norm versions as data: a norm (e.g. the ANB) has versions, each with an answer scale, themes
(themakaarten) and statements, and each statement's lineage to the previous version.

A version is loaded from a YAML file under norms/ and never changes once a round has used it.
"""

from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

NVT_CODE = "NVT"


class Norm(models.Model):
    key = models.SlugField(_("sleutel"), max_length=50, unique=True)
    name = models.CharField(_("naam"), max_length=200)

    class Meta:
        verbose_name = _("norm")
        verbose_name_plural = _("normen")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.name


class NormVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "concept", _("Concept")
        ADOPTED = "vastgesteld", _("Vastgesteld")
        RETIRED = "vervallen", _("Vervallen")

    norm = models.ForeignKey(Norm, on_delete=models.PROTECT, related_name="versions")
    label = models.CharField(_("versie"), max_length=20)
    title = models.CharField(_("titel"), max_length=200)
    adopted_on = models.DateField(_("vastgesteld op"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ADOPTED
    )
    description = models.TextField(_("wat is er veranderd"), blank=True)
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_versions",
        verbose_name=_("vorige versie"),
    )
    has_nvt = models.BooleanField(_("n.v.t. mogelijk"), default=True)
    nvt_label = models.CharField(_("label n.v.t."), max_length=100, default="Niet van toepassing")
    nvt_guidance = models.TextField(_("toelichting n.v.t."), blank=True)
    sectors = models.JSONField(_("sectoren"), default=list, blank=True)
    source_name = models.CharField(_("bestand"), max_length=255, blank=True)
    source_sha256 = models.CharField(max_length=64, blank=True)
    source_text = models.TextField(blank=True)
    loaded_at = models.DateTimeField(auto_now_add=True)
    loaded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("normversie")
        verbose_name_plural = _("normversies")
        ordering = ["norm__key", "label"]
        constraints = [
            models.UniqueConstraint(fields=["norm", "label"], name="unique_norm_version_label")
        ]

    def __str__(self) -> str:
        return f"{self.norm.name} {self.label}"


class ScaleLevel(models.Model):
    version = models.ForeignKey(NormVersion, on_delete=models.CASCADE, related_name="scale")
    code = models.CharField(_("code"), max_length=10)
    label = models.CharField(_("label"), max_length=100)
    guidance = models.TextField(_("toelichting"), blank=True)
    sufficient = models.BooleanField(_("voldoende of hoger"), default=False)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="unique_scale_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


class Theme(models.Model):
    version = models.ForeignKey(NormVersion, on_delete=models.CASCADE, related_name="themes")
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("titel"), max_length=200)
    introduction = models.TextField(_("inleiding"), blank=True)
    guidance = models.TextField(_("handreiking"), blank=True)
    links = models.JSONField(_("kaarten"), default=list, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="unique_theme_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Statement(models.Model):
    class Relation(models.TextChoices):
        SAME = "gelijk", _("gelijk")
        REWORDED = "herformuleerd", _("herformuleerd")
        MERGED = "samengevoegd", _("samengevoegd")
        SPLIT = "gesplitst", _("gesplitst")
        PROMOTED = "gepromoveerd", _("gepromoveerd uit streefniveau")
        NEW = "nieuw", _("nieuw")

    version = models.ForeignKey(NormVersion, on_delete=models.CASCADE, related_name="statements")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="statements")
    code = models.CharField(_("code"), max_length=20)
    concept_key = models.CharField(_("conceptsleutel"), max_length=80)
    text = models.TextField(_("stelling"))
    help_text = models.TextField(_("hulptekst"), blank=True)
    sectors = models.JSONField(_("sectoren"), default=list)
    nvt_allowed = models.BooleanField(_("n.v.t. toegestaan"), default=False)
    counts_for_norm = models.BooleanField(_("telt mee voor de norm"), default=True)
    tags = models.JSONField(_("labels"), default=list, blank=True)
    order = models.PositiveIntegerField(default=0)
    relation = models.CharField(
        _("relatie met vorige versie"), max_length=20, choices=Relation.choices, blank=True
    )
    comparable = models.BooleanField(_("vergelijkbaar voor trends"), default=False)
    derived_from = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="successors"
    )

    class Meta:
        verbose_name = _("stelling")
        verbose_name_plural = _("stellingen")
        ordering = ["version", "theme__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="unique_statement_code"),
            models.UniqueConstraint(
                fields=["version", "concept_key"], name="unique_statement_concept"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:60]}"

    def applies_to(self, sector: str) -> bool:
        return sector in self.sectors


class DroppedStatement(models.Model):
    """A statement of the previous version that this version drops (`vervallen`)."""

    version = models.ForeignKey(NormVersion, on_delete=models.CASCADE, related_name="dropped")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="dropped_in")
    note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "statement"], name="unique_dropped")
        ]

    def __str__(self) -> str:
        return f"{self.version}: {self.statement.code} vervallen"


class NormUpload(models.Model):
    """An uploaded norm file between its preview and publication, kept in the database for the
    user who uploaded it (not in the session, which every request of that user would load and
    save), for KEPT_FOR at most. Publishing validates exactly these bytes again."""

    KEPT_FOR = timedelta(hours=8)  # as long as a session

    uploaded_by = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="+", verbose_name=_("door")
    )
    token = models.CharField(max_length=32, unique=True)
    file_name = models.CharField(_("bestand"), max_length=255)
    content = models.BinaryField(editable=False)
    uploaded_at = models.DateTimeField(_("geüpload op"), default=timezone.now)

    class Meta:
        verbose_name = _("geüpload normbestand")
        verbose_name_plural = _("geüploade normbestanden")

    def __str__(self) -> str:
        return self.file_name
