"""Writes of the results app: storing a round's aggregates, and throwing them away.

`ensure_results(round)` returns with the round's aggregates stored and current. The data version
names what they were computed from: the format, the threshold, and for a round that is not
closed the number and latest time of its submitted scans. A closed round is therefore computed
once; an open round's rows are recomputed after a submit or a reopen, and
`invalidate_round_results(round_id)` (called by the scans app) discards them at once.
"""

import contextlib
import hashlib
import json
from typing import Any

import numpy as np
import pandas as pd
from django.db import IntegrityError, transaction
from django.db.models import Count, Max

from selfscan.core.bulk import insert_rows
from selfscan.core.tasks import enqueue_on_commit
from selfscan.results.aggregation import HIST_COLUMNS, NORM, aggregate_round
from selfscan.results.models import AggregateRow, ResultState
from selfscan.rounds.models import Round

FORMAT_VERSION = "1"
FINAL_STATUSES = {Round.Status.CLOSED, Round.Status.PUBLISHED}
COUNT_COLUMNS = ["invited", "submitted", "scored", "meeting", "sufficient", "answered", "nvt"]
SHARE_COLUMNS = ["mean_share", "min_share", "median_share", "max_share"]
# The columns of `AggregateRow` written by `store_results`, in the order of `aggregate_rows`.
ROW_COLUMNS = [
    "round_id",
    "level",
    "key",
    "label",
    "theme_id",
    *COUNT_COLUMNS,
    *SHARE_COLUMNS,
    "histogram",
]


def data_version(round_: Round) -> str:
    """What the stored aggregates of `round_` must have been computed from to be current."""
    parts = [FORMAT_VERSION, str(round_.threshold_percent)]
    if round_.status not in FINAL_STATUSES:
        from selfscan.scans.models import Scan

        stats = Scan.objects.filter(round=round_, status=Scan.Status.SUBMITTED).aggregate(
            n=Count("id"), last=Max("submitted_at")
        )
        parts += [str(stats["n"]), str(stats["last"])]
    else:
        parts.append("final")
    return hashlib.sha256(":".join(parts).encode()).hexdigest()[:32] + f":{parts[1]}"


def aggregate_rows(round_: Round, results: pd.DataFrame) -> list[tuple[Any, ...]]:
    """The rows of `results` as `AggregateRow` tuples (`ROW_COLUMNS`), built column by column.

    Stored as the model would store them: the label cut at 200 characters, no theme for the
    whole norm, NULL for a share that is NaN, the histogram as JSON text; `[]` for a school (a
    school's own "distribution" is one bin, and pages never read it).
    """
    theme = results["theme_id"].astype("int64")
    groups = (results["level"] != "school").to_numpy()
    histograms = np.full(len(results), "[]", dtype=object)
    counts = results.loc[groups, HIST_COLUMNS].astype("int64").to_numpy().tolist()
    histograms[groups] = [json.dumps(row) for row in counts]
    columns = [
        [round_.pk] * len(results),
        results["level"].astype(str).tolist(),
        results["key"].astype(str).tolist(),
        results["label"].astype(str).str.slice(0, 200).tolist(),
        theme.astype(object).where(theme != NORM, None).tolist(),
        *(results[column].astype("int64").tolist() for column in COUNT_COLUMNS),
        *(_nullable(results[column]).tolist() for column in SHARE_COLUMNS),
        histograms.tolist(),
    ]
    return list(zip(*columns, strict=True))


def _nullable(values: pd.Series) -> pd.Series:
    """Floats, with None (NULL) where a value is NaN."""
    return values.astype(float).astype(object).where(values.notna(), None)


def store_results(round_: Round, results: pd.DataFrame, version: str) -> None:
    """Replace the stored aggregates of `round_` by `results` in one transaction."""
    rows = aggregate_rows(round_, results)
    with transaction.atomic():
        state, _ = ResultState.objects.select_for_update().get_or_create(
            round=round_, defaults={"data_version": ""}
        )
        if state.data_version == version:
            return  # another request stored the same version meanwhile
        AggregateRow.objects.filter(round=round_).delete()
        insert_rows(AggregateRow._meta.db_table, ROW_COLUMNS, rows)
        state.data_version = version
        state.save()


def ensure_results(round_: Round) -> None:
    """Make sure the stored aggregates of `round_` are current (compute and store if not)."""
    version = data_version(round_)
    stored = ResultState.objects.filter(round=round_).values_list("data_version", flat=True)
    if version in stored:
        return
    results = aggregate_round(round_.pk, threshold=round_.threshold_percent)
    # A concurrent writer may win the race; its rows are as good as ours.
    with contextlib.suppress(IntegrityError):
        store_results(round_, results, version)


def invalidate_round_results(round_id: int) -> None:
    """Discard the stored aggregates of a round (call after a scan is submitted or reopened).

    The next page that needs them recomputes them. Safe to call inside a transaction; the
    deletion is part of it.
    """
    with transaction.atomic():
        ResultState.objects.filter(round_id=round_id).delete()
        AggregateRow.objects.filter(round_id=round_id).delete()


def refresh_round_results(round_id: int) -> None:
    """Discard a round's stored aggregates and compute them again in the background once the
    current transaction commits (after a close, a publish or an import)."""
    from .tasks import compute_round_results

    invalidate_round_results(round_id)
    # Without a broker the aggregates are still computed: by the next page that needs them.
    enqueue_on_commit(compute_round_results, round_id)
