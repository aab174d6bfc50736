"""Writes of the results app: storing a round's aggregates, and throwing them away.

`ensure_results(round)` returns with the round's aggregates stored and current. The data version
names what they were computed from: the format, the threshold, and for a round that is not
closed the number and latest time of its submitted scans. A closed round is therefore computed
once; an open round's rows are recomputed after a submit or a reopen, and
`invalidate_round_results(round_id)` (called by the scans app) discards them at once.
"""

import contextlib
import hashlib
from typing import Any

import pandas as pd
from django.db import IntegrityError, transaction
from django.db.models import Count, Max

from selfscan.results.aggregation import HIST_COLUMNS, NORM, RESULT_COLUMNS, aggregate_round
from selfscan.results.models import AggregateRow, ResultState
from selfscan.rounds.models import Round

FORMAT_VERSION = "1"
VALUE_COLUMNS = [column for column in RESULT_COLUMNS if column not in HIST_COLUMNS]
FINAL_STATUSES = {Round.Status.CLOSED, Round.Status.PUBLISHED}


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


def _nullable(value: Any) -> float | None:
    return None if pd.isna(value) else float(value)


def store_results(round_: Round, results: pd.DataFrame, version: str) -> None:
    """Replace the stored aggregates of `round_` by `results` in one transaction."""
    hist = results[HIST_COLUMNS].to_numpy().tolist()
    rows = [
        AggregateRow(
            round=round_,
            level=level,
            key=key,
            label=str(label)[:200],
            theme_id=None if int(theme_id) == NORM else int(theme_id),
            invited=int(invited),
            submitted=int(submitted),
            scored=int(scored),
            meeting=int(meeting),
            sufficient=int(sufficient),
            answered=int(answered),
            nvt=int(nvt),
            mean_share=_nullable(mean_share),
            min_share=_nullable(min_share),
            median_share=_nullable(median_share),
            max_share=_nullable(max_share),
            # A school's own "distribution" is one bin: not stored (pages never read it).
            histogram=[] if level == "school" else [int(v) for v in hist[i]],
        )
        for i, (
            level,
            key,
            label,
            theme_id,
            invited,
            submitted,
            scored,
            meeting,
            sufficient,
            answered,
            nvt,
            mean_share,
            min_share,
            median_share,
            max_share,
        ) in enumerate(results[VALUE_COLUMNS].itertuples(index=False, name=None))
    ]
    with transaction.atomic():
        state, _ = ResultState.objects.select_for_update().get_or_create(
            round=round_, defaults={"data_version": ""}
        )
        if state.data_version == version:
            return  # another request stored the same version meanwhile
        AggregateRow.objects.filter(round=round_).delete()
        AggregateRow.objects.bulk_create(rows, batch_size=5000)
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
    transaction.on_commit(lambda: compute_round_results.delay(round_id))
