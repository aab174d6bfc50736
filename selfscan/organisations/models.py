"""The school register: stadsdelen, wijken, besturen and school locations, with history.

A school location is identified by its DUO vestigingscode (4-character BRIN + 2 digits). Wijk
and sector are the partnership's own attributes. Rounds snapshot a school's wijk, bestuur and
sector when they open, so later changes here never move old results.
"""

import datetime

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from selfscan.core.jobs import STALLED, UNAVAILABLE

vestigingscode_validator = RegexValidator(
    regex=r"^[0-9]{2}[A-Z]{2}[0-9]{2}$|^[0-9A-Z]{4}[0-9]{2}$",
    message=_(
        "Een vestigingscode bestaat uit 4 tekens BRIN (cijfers en hoofdletters) "
        "gevolgd door 2 cijfers, bijvoorbeeld 12AB00."
    ),
)


class Sector(models.TextChoices):
    PO = "PO", _("Primair onderwijs")
    VO = "VO", _("Voortgezet onderwijs")
    SV = "SV", _("Stedelijke voorziening")


class Stadsdeel(models.Model):
    name = models.CharField(_("naam"), max_length=100, unique=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stadsdeel")
        verbose_name_plural = _("stadsdelen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Wijk(models.Model):
    name = models.CharField(_("naam"), max_length=100, unique=True)
    stadsdeel = models.ForeignKey(
        Stadsdeel, on_delete=models.PROTECT, related_name="wijken", verbose_name=_("stadsdeel")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("wijk")
        verbose_name_plural = _("wijken")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Bestuur(models.Model):
    name = models.CharField(_("naam"), max_length=200)
    bevoegd_gezag_nummer = models.CharField(
        _("bevoegd gezag nummer"),
        max_length=10,
        unique=True,
        validators=[RegexValidator(r"^[0-9]{5}$", _("Een bevoegd gezag nummer heeft 5 cijfers."))],
    )
    contact_email = models.EmailField(_("e-mailadres contactpersoon"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bestuur")
        verbose_name_plural = _("besturen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SchoolQuerySet(models.QuerySet["School"]):
    def active(self, on: datetime.date | None = None) -> "SchoolQuerySet":
        """Schools open on `on` (default today): started (or no start date) and not closed."""
        day = on or timezone.localdate()
        return self.filter(
            Q(active_from__isnull=True) | Q(active_from__lte=day),
            Q(active_to__isnull=True) | Q(active_to__gte=day),
        )

    def closed(self, on: datetime.date | None = None) -> "SchoolQuerySet":
        day = on or timezone.localdate()
        return self.filter(active_to__lt=day)


# The register attributes of a school that staff edit and whose history the school page shows.
SCHOOL_REGISTER_FIELDS = [
    "vestigingscode",
    "name",
    "sector",
    "subtype",
    "wijk",
    "bestuur",
    "active_from",
    "active_to",
    "pupil_count",
    "postcode",
    "plaats",
    "contact_email",
]


class School(models.Model):
    vestigingscode = models.CharField(
        _("vestigingscode"), max_length=6, unique=True, validators=[vestigingscode_validator]
    )
    name = models.CharField(_("naam"), max_length=200)
    sector = models.CharField(_("sector"), max_length=2, choices=Sector.choices)
    subtype = models.CharField(
        _("soort"), max_length=20, blank=True, help_text=_("Bijvoorbeeld SBO, SO of VSO.")
    )
    wijk = models.ForeignKey(
        Wijk,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="schools",
        verbose_name=_("wijk"),
    )
    bestuur = models.ForeignKey(
        Bestuur, on_delete=models.PROTECT, related_name="schools", verbose_name=_("bestuur")
    )
    active_from = models.DateField(_("actief vanaf"), null=True, blank=True)
    active_to = models.DateField(_("actief tot en met"), null=True, blank=True)
    pupil_count = models.PositiveIntegerField(_("aantal leerlingen"), null=True, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    plaats = models.CharField(_("plaats"), max_length=100, blank=True)
    contact_email = models.EmailField(_("e-mailadres contactpersoon"), blank=True)
    history = HistoricalRecords()

    objects = SchoolQuerySet.as_manager()

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("scholen")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.vestigingscode})"

    @property
    def stadsdeel(self) -> Stadsdeel | None:
        return self.wijk.stadsdeel if self.wijk else None

    @property
    def brin(self) -> str:
        """The DUO instellingscode: the first four characters of the vestigingscode."""
        return self.vestigingscode[:4]

    def is_active_on(self, day: datetime.date | None = None) -> bool:
        day = day or timezone.localdate()
        started = self.active_from is None or self.active_from <= day
        return started and (self.active_to is None or self.active_to >= day)


class RegisterUpload(models.Model):
    """A register file between its dry run and the confirmation, kept in the database (not in
    the session, which every request of the user would load and save) for the user who uploaded
    it, for KEPT_FOR at most. Applying re-validates exactly these bytes against the register."""

    KEPT_FOR = datetime.timedelta(hours=8)  # one working day, as long as a session

    class Status(models.TextChoices):
        # With a broker the dry run is a background job (docs/decisions/0163-register-dry-run-
        # as-a-job.md); without one it runs in the request and the file is kept as DONE.
        WAITING = "wachtend", _("wacht op de proefrun")
        RUNNING = "bezig", _("proefrun bezig")
        DONE = "klaar", _("proefrun klaar")
        FAILED = "mislukt", _("mislukt")

    uploaded_by = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="+", verbose_name=_("door")
    )
    file_name = models.CharField(_("bestand"), max_length=255)
    sha256 = models.CharField(max_length=64)
    close_missing = models.BooleanField(default=True)
    content = models.BinaryField(editable=False)
    uploaded_at = models.DateTimeField(_("geüpload op"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DONE
    )
    # The dry run's report as the page shows it (`jobs.report_of`); None until it is done.
    report = models.JSONField(null=True, blank=True, editable=False)
    # Whether the dry run found something to apply and no errors: only then can it be confirmed.
    applicable = models.BooleanField(default=True)
    error = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("geüpload registerbestand")
        verbose_name_plural = _("geüploade registerbestanden")
        indexes = [models.Index(fields=["uploaded_by", "sha256"])]

    def __str__(self) -> str:
        return self.file_name

    @property
    def not_started(self) -> bool:
        """Failed because the background service could not be reached."""
        return self.status == self.Status.FAILED and self.error == UNAVAILABLE

    @property
    def stalled(self) -> bool:
        """Failed because it stopped without a result (the sweeper gave up on it)."""
        return self.status == self.Status.FAILED and self.error == STALLED

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.WAITING, self.Status.RUNNING)
