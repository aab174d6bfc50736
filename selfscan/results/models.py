"""Stored aggregates of a round (the cache of `selfscan.results.aggregation`).

`ResultState` says which data version of a round's aggregates is stored; `AggregateRow` holds
one row per level, group and theme (theme empty: the whole norm). Pages read only the rows they
need. A closed round is computed once; an open round's rows are recomputed after a scan is
submitted or reopened (see `selfscan.results.services.invalidate_round_results`).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ResultState(models.Model):
    round = models.OneToOneField(
        "rounds.Round", on_delete=models.CASCADE, related_name="result_state"
    )
    data_version = models.CharField(max_length=200)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("opgeslagen resultaten")
        verbose_name_plural = _("opgeslagen resultaten")

    def __str__(self) -> str:
        return f"{self.round_id}: {self.data_version}"


class AggregateRow(models.Model):
    class Level(models.TextChoices):
        SCHOOL = "school", _("school")
        WIJK = "wijk", _("wijk")
        STADSDEEL = "stadsdeel", _("stadsdeel")
        BESTUUR = "bestuur", _("bestuur")
        SECTOR = "sector", _("sector")
        CITY = "city", _("stad")

    # A derived cache: no database-level foreign keys (their per-row checks at commit were a
    # third of a store at 7,000 schools; Django still cascades deletes), and no index of its
    # own on round (the (round, level, key) index covers it). docs/decisions/0044.
    round = models.ForeignKey(
        "rounds.Round",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    level = models.CharField(max_length=10, choices=Level.choices)
    key = models.CharField(max_length=40)
    label = models.CharField(max_length=200, blank=True)
    theme = models.ForeignKey(
        "norms.Theme",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        db_index=False,  # the unique (round, level, key, theme) index serves theme lookups
    )
    invited = models.PositiveIntegerField(default=0)
    submitted = models.PositiveIntegerField(default=0)
    scored = models.PositiveIntegerField(default=0)
    meeting = models.PositiveIntegerField(default=0)
    sufficient = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    nvt = models.PositiveIntegerField(default=0)
    mean_share = models.FloatField(null=True, blank=True)
    min_share = models.FloatField(null=True, blank=True)
    median_share = models.FloatField(null=True, blank=True)
    max_share = models.FloatField(null=True, blank=True)
    histogram = models.JSONField(default=list)
    # A group's scored schools by share, [[sufficient, answered, schools], ...] as JSON text
    # (`aggregation.ShareCounts`); "[]" for a school. Only a submit's update reads it (it adds
    # and takes away one school's share, docs/decisions/0260), so pages get it as text and
    # never parse it.
    share_counts = models.TextField(default="[]")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "level", "key", "theme"],
                condition=models.Q(theme__isnull=False),
                name="unique_aggregate_theme_row",
            ),
            models.UniqueConstraint(
                fields=["round", "level", "key"],
                condition=models.Q(theme__isnull=True),
                name="unique_aggregate_norm_row",
            ),
        ]
        indexes = [models.Index(fields=["round", "level", "key"])]

    def __str__(self) -> str:
        return f"{self.round_id} {self.level}:{self.key} {self.theme_id or '-'}"

    @property
    def response_rate(self) -> float | None:
        return self.submitted / self.invited if self.invited else None

    @property
    def share_meeting(self) -> float | None:
        return self.meeting / self.scored if self.scored else None

    @property
    def pooled_share(self) -> float | None:
        return self.sufficient / self.answered if self.answered else None


class StatementTally(models.Model):
    """Per round, sector and statement: Σ sufficient, Σ answered and Σ n.v.t. over the round's
    submitted scans of that sector (the whole city). Stored with the aggregate rows so the city
    dashboard's "since the 0-meting" reads a few hundred rows instead of tallying the round's
    answers per request; kept exact after a submit or reopen (docs/decisions/0230)."""

    round = models.ForeignKey(
        "rounds.Round",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,  # the unique (round, sector, statement) index covers it
    )
    sector = models.CharField(max_length=10)
    statement = models.ForeignKey(
        "norms.Statement",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    sufficient = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    nvt = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "sector", "statement"], name="unique_statement_tally"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round_id} {self.sector} {self.statement_id}"
