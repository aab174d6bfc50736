"""The threshold explorer: for every threshold from 50% to 100%, how many schools would meet it.

Plain arithmetic on the stored school rows (one per school and theme, and one for the whole
norm), with the very rule of `scoring.meets_threshold` (`100 × sufficient ≥ threshold ×
answered`, integers). Nothing is written: the round keeps its own threshold. The loading reads
two fixed queries whatever the number of schools; the counting is numpy over whole columns.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from selfscan.results.models import AggregateRow
from selfscan.results.scoring import meets_threshold
from selfscan.results.services import ensure_results
from selfscan.rounds.models import Round
from selfscan.scans.models import Scan

LOWEST, HIGHEST = 50, 100
THRESHOLDS = list(range(LOWEST, HIGHEST + 1))
SECTOR_ORDER = ["PO", "VO", "SV"]
ALL = "stad"


@dataclass
class Curve:
    """One group (a sector, all schools, or a theme): scored schools and, per threshold of
    `THRESHOLDS`, how many of them would meet it."""

    key: str
    label: str
    scored: int
    meeting: list[int] = field(default_factory=list)

    def count_at(self, threshold: int) -> int:
        return self.meeting[threshold - LOWEST]

    def share_at(self, threshold: int) -> float | None:
        return self.count_at(threshold) / self.scored if self.scored else None

    @property
    def shares(self) -> list[float | None]:
        return [self.share_at(t) for t in THRESHOLDS]


def meeting_counts(
    sufficient: Sequence[int] | np.ndarray,
    answered: Sequence[int] | np.ndarray,
    thresholds: Iterable[int] = THRESHOLDS,
) -> tuple[int, list[int]]:
    """Scored schools (something answered) and, per threshold, how many of them meet it."""
    s = np.asarray(sufficient, dtype="int64")
    a = np.asarray(answered, dtype="int64")
    scored = a > 0
    counts = [int(np.count_nonzero(scored & meets_threshold(s, a, t))) for t in thresholds]
    return int(np.count_nonzero(scored)), counts


def curve(key: str, label: str, tallies: Sequence[tuple[int, int]]) -> Curve:
    """A curve over `(sufficient, answered)` per school (of submitted scans only)."""
    sufficient = [t[0] for t in tallies]
    answered = [t[1] for t in tallies]
    scored, counts = meeting_counts(sufficient, answered)
    return Curve(key, label, scored, counts)


@dataclass
class Explorer:
    sectors: list[Curve]  # per sector present, then all schools
    themes: list[tuple[Any, str, Curve]]  # (theme, label, curve), the whole selection


def parse_threshold(raw: str | None, default: int) -> tuple[int, str]:
    """The chosen threshold from the form, or `default` and a Dutch message when it is bad."""
    if raw is None or raw == "":
        return default, ""
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if LOWEST <= value <= HIGHEST:
        return value, ""
    return default, _(
        "Kies een drempel van %(low)s tot en met %(high)s procent (een heel getal)."
    ) % {
        "low": LOWEST,
        "high": HIGHEST,
    }


def explore(
    round_: Round, scans: "QuerySet[Any]", themes: list[Any], labels: list[str]
) -> Explorer:
    """The curves of the schools of `scans` (a queryset of the round's scans the user may see):
    per sector, for all of them, and per theme (none when `themes` is empty: then only the
    whole-norm rows are read). Two queries after `ensure_results`."""
    ensure_results(round_)
    school_sector = {
        str(school_id): sector
        for school_id, sector, status in scans.values_list("school_id", "sector", "status")
        if status == Scan.Status.SUBMITTED
    }
    per_theme: dict[int | None, list[tuple[str, int, int]]] = {}
    stored = AggregateRow.objects.filter(round=round_, level="school", scored__gt=0)
    if not themes:  # the sector curves only: the whole-norm rows suffice
        stored = stored.filter(theme__isnull=True)
    rows = stored.values_list("key", "theme_id", "sufficient", "answered")
    for key, theme_id, sufficient, answered in rows:
        if key in school_sector:
            per_theme.setdefault(theme_id, []).append((key, sufficient, answered))
    norm = per_theme.get(None, [])
    sectors = []
    for sector in SECTOR_ORDER:
        tallies = [(s, a) for key, s, a in norm if school_sector[key] == sector]
        if tallies:
            sectors.append(curve(sector, sector, tallies))
    sectors.append(curve(ALL, _("Alle scholen"), [(s, a) for _key, s, a in norm]))
    theme_curves = [
        (
            theme,
            label,
            curve(str(theme.pk), label, [(s, a) for _k, s, a in per_theme.get(theme.pk, [])]),
        )
        for theme, label in zip(themes, labels, strict=True)
    ]
    return Explorer(sectors, theme_curves)


def columns(round_threshold: int, step: int = 5) -> list[int]:
    """Fixed thresholds shown per theme: every `step` points and the round's (the chosen one has
    a column of its own in front, which the slider updates)."""
    return sorted({*range(LOWEST, HIGHEST + 1, step), round_threshold})


def chosen_summary(label: str, c: Curve, threshold: int) -> str:
    """One line of "at the chosen threshold": the share and the count of one group."""
    from selfscan.results.templatetags.results_tags import pct

    return _("%(label)s: %(share)s van de scholen zou voldoen (%(count)s van %(scored)s).") % {
        "label": label,
        "share": pct(c.share_at(threshold)),
        "count": c.count_at(threshold),
        "scored": c.scored,
    }


def live_steps(explorer: Explorer) -> dict[str, Any]:
    """Per threshold the texts the page shows for it, rendered here (localised as the page is)
    so that the slider's script only swaps text: the heading, one line per group, the share per
    theme, and the chart's label. Without JavaScript the page is rendered for one threshold."""
    from selfscan.results.templatetags.results_tags import pct

    return {
        str(t): {
            "heading": _("Bij een drempel van %(n)s%%") % {"n": t},
            "column": _("Bij %(n)s%% (gekozen)") % {"n": t},
            "marker": _("gekozen %(n)s%%") % {"n": t},
            "lines": [chosen_summary(c.label, c, t) for c in explorer.sectors],
            "themes": [pct(c.share_at(t)) for _theme, _label, c in explorer.themes],
        }
        for t in THRESHOLDS
    }
