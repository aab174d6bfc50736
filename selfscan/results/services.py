"""Writes of the results app: storing a round's aggregates, and throwing them away.

`ensure_results(round)` returns with the round's aggregates stored and current. The data version
names what they were computed from: the format, the threshold, and for a round that is not
closed the number and latest time of its submitted scans. A closed round is therefore computed
once; an open round's rows are recomputed after a submit or a reopen, and
`invalidate_round_results(round_id)` (called by the scans app) discards them at once.
"""

import contextlib
import hashlib
import itertools
import json
from typing import Any

import numpy as np
import pandas as pd
from django.db import IntegrityError, connection, transaction
from django.db.models import BigIntegerField, Count, Max, Q
from django.db.models.functions import Cast

from selfscan.core.bulk import insert_rows
from selfscan.core.tasks import enqueue_on_commit
from selfscan.results.aggregation import (
    HIST_COLUMNS,
    LEVEL_KEYS,
    LEVELS,
    NORM,
    TALLY_COLUMNS,
    RoundFrames,
    aggregate_round,
    load_scans,
    load_themes,
    rollup,
    school_theme_frame,
    statement_tally_query,
    tally_query,
)
from selfscan.results.models import AggregateRow, ResultState, StatementTally
from selfscan.results.scoring import Tally
from selfscan.rounds.models import Round

FORMAT_VERSION = "2"  # 2: per-statement tallies stored (docs/decisions/0230)
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
# The columns of `StatementTally` written with them.
STATEMENT_COLUMNS = ["round_id", "sector", "statement_id", "sufficient", "answered", "nvt"]


def data_version(round_: Round) -> str:
    """What the stored aggregates of `round_` must have been computed from to be current."""
    if round_.status in FINAL_STATUSES:
        return _version(round_, ["final"])
    from selfscan.scans.models import Scan

    stats = Scan.objects.filter(round=round_, status=Scan.Status.SUBMITTED).aggregate(
        n=Count("id"), last=Max("submitted_at")
    )
    return _open_version(round_, stats["n"], stats["last"])


def _version(round_: Round, tail: list[str]) -> str:
    parts = [FORMAT_VERSION, str(round_.threshold_percent), *tail]
    return hashlib.sha256(":".join(parts).encode()).hexdigest()[:32] + f":{parts[1]}"


def _open_version(round_: Round, submitted: int, last: Any) -> str:
    """The data version of an open round with `submitted` scans, the latest at `last`."""
    return _version(round_, [str(submitted), str(last)])


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


def store_results(
    round_: Round,
    results: pd.DataFrame,
    version: str,
    statements: list[tuple[Any, ...]] | None = None,
) -> None:
    """Replace the stored aggregates of `round_` by `results`, and its per-statement tallies by
    `statements` (`STATEMENT_COLUMNS`; tallied here when not given), in one transaction."""
    if statements is None:
        statements = statement_rows(round_)
    rows = aggregate_rows(round_, results)
    with transaction.atomic():
        state, _ = ResultState.objects.select_for_update().get_or_create(
            round=round_, defaults={"data_version": ""}
        )
        if state.data_version == version:
            return  # another request stored the same version meanwhile
        AggregateRow.objects.filter(round=round_).delete()
        insert_rows(AggregateRow._meta.db_table, ROW_COLUMNS, rows)
        StatementTally.objects.filter(round=round_).delete()
        insert_rows(StatementTally._meta.db_table, STATEMENT_COLUMNS, statements)
        state.data_version = version
        state.save()


def round_versions(round_: Round) -> list[int]:
    """The norm versions of a round (PO, VO, SV), without the empty ones."""
    return [v for v in (round_.version_po_id, round_.version_vo_id, round_.version_sv_id) if v]


def statement_rows(round_: Round) -> list[tuple[Any, ...]]:
    """Per sector and statement, the tallies of the round's submitted scans (`STATEMENT_COLUMNS`):
    one GROUP BY over the round's answers, a few hundred rows out."""
    query = statement_tally_query(round_.pk, round_versions(round_), Q(), by_sector=True)
    return [(round_.pk, *row) for row in query]


def stored_statement_tallies(round_: Round) -> dict[str, dict[int, Tally]] | None:
    """The stored per-statement tallies of `round_` per sector; None when none are stored (a
    round never computed since they exist, or without a single submitted answer: the callers
    then tally the answers, which costs nothing in the second case)."""
    rows = StatementTally.objects.filter(round=round_).values_list(
        "sector", "statement_id", "sufficient", "answered", "nvt"
    )
    out: dict[str, dict[int, Tally]] = {}
    for sector, statement_id, sufficient, answered, nvt in rows:
        out.setdefault(sector, {})[statement_id] = Tally(sufficient, answered, nvt)
    return out or None


def ensure_results(round_: Round) -> None:
    """Make sure the round has stored aggregates to show.

    Current rows: nothing to do. Rows of an older data version: they stay and are shown (with
    their date, `results_state`), and a full recompute goes to the background; no page waits for
    it. No rows at all (a round never computed): computed here, once."""
    from .tasks import compute_round_results

    version = data_version(round_)
    stored = list(ResultState.objects.filter(round=round_).values_list("data_version", flat=True))
    if version in stored:
        return
    if stored:
        enqueue_on_commit(compute_round_results, round_.pk)
        return
    compute_now(round_, version)


def compute_now(round_: Round, version: str | None = None) -> None:
    """Compute and store the round's aggregates if they are not current (the worker's task)."""
    version = version or data_version(round_)
    if ResultState.objects.filter(round=round_, data_version=version).exists():
        return
    results = aggregate_round(round_.pk, threshold=round_.threshold_percent)
    # A concurrent writer may win the race; its rows are as good as ours.
    with contextlib.suppress(IntegrityError):
        store_results(round_, results, version)


def results_state(round_: Round) -> ResultState | None:
    """The stored state of a round's aggregates; `is_current` tells whether they are of the
    latest data (pages say "bijgewerkt op …" with `computed_at` when they are not)."""
    state = ResultState.objects.filter(round=round_).first()
    if state is not None:
        state.is_current = state.data_version == data_version(round_)  # type: ignore[attr-defined]
    return state


def invalidate_round_results(round_id: int) -> None:
    """Discard the stored aggregates of a round (call after a scan is submitted or reopened).

    The next page that needs them recomputes them. Safe to call inside a transaction; the
    deletion is part of it.
    """
    with transaction.atomic():
        ResultState.objects.filter(round_id=round_id).delete()
        AggregateRow.objects.filter(round_id=round_id).delete()
        StatementTally.objects.filter(round_id=round_id).delete()


def refresh_round_results(round_id: int) -> None:
    """Compute a round's aggregates again in the background once the current transaction
    commits (after a close, a publish or an import). The stored rows stay until then, marked
    as not current, so pages keep showing them with their date."""
    from .tasks import compute_round_results

    ResultState.objects.filter(round_id=round_id).update(data_version="")
    # Without a broker the task runs in-process at commit.
    enqueue_on_commit(compute_round_results, round_id)


def update_results_for_scan(
    round_id: int, scan_id: int, *, was_submitted_at: Any, now_submitted_at: Any
) -> bool:
    """After one scan of an open round was submitted or reopened: update only the rows that
    scan touches (its school's, and its wijk's, stadsdeel's, bestuur's, sector's and the
    city's, each for the whole norm and per theme), inside the caller's transaction.

    The other schools' figures come from their stored school rows, so the answers of the
    round are not tallied again and only a few dozen rows are written (docs/decisions/0210).
    This works only on rows that were current just before this change: otherwise (nothing
    stored yet, or a recompute still to come) a full recompute is sent to the background and
    the pages show the stored rows with their date until it is done. Answers whether the rows
    were updated here."""
    from .tasks import compute_round_results

    with transaction.atomic():
        round_ = Round.objects.get(pk=round_id)
        # One writer per round at a time: a concurrent submit waits here, then builds on ours.
        state = ResultState.objects.select_for_update().filter(round=round_).first()
        if round_.status in FINAL_STATUSES or state is None:
            enqueue_on_commit(compute_round_results, round_id)
            return False
        before, after = _versions_around(round_, scan_id, was_submitted_at, now_submitted_at)
        if state.data_version != before:
            enqueue_on_commit(compute_round_results, round_id)
            return False
        rows = affected_rows(round_, scan_id)
        _replace_rows(round_, rows)
        if (was_submitted_at is None) != (now_submitted_at is None):
            _shift_statement_tallies(round_, scan_id, 1 if now_submitted_at is not None else -1)
        state.data_version = after
        state.save()
    return True


def _versions_around(round_: Round, scan_id: int, was: Any, now: Any) -> tuple[str, str]:
    """The round's data version just before and just after the change of one scan."""
    from selfscan.scans.models import Scan

    others = (
        Scan.objects.filter(round=round_, status=Scan.Status.SUBMITTED)
        .exclude(pk=scan_id)
        .aggregate(n=Count("id"), last=Max("submitted_at"))
    )

    def version(submitted_at: Any) -> str:
        times = [t for t in (others["last"], submitted_at) if t is not None]
        count = others["n"] + (1 if submitted_at is not None else 0)
        return _open_version(round_, count, max(times) if times else None)

    return version(was), version(now)


def affected_rows(round_: Round, scan_id: int) -> pd.DataFrame:
    """The aggregate rows of the groups that `scan_id` belongs to, recomputed from the stored
    school rows of every other school and a fresh tally of this one scan."""
    scans = load_scans(round_.pk)
    version_ids = sorted({int(v) for v in scans["version_id"].unique()})
    themes = load_themes(version_ids)
    mine = scans[scans["scan_id"] == scan_id].iloc[0]
    stored = _stored_school_tallies(round_, scans, exclude_school=int(mine["school_id"]))
    fresh = list(tally_query(round_.pk, version_ids).filter(scan_id=scan_id))
    tallies = pd.concat(
        [stored, pd.DataFrame(fresh, columns=TALLY_COLUMNS, dtype="int64")], ignore_index=True
    )
    frame = school_theme_frame(RoundFrames(scans, tallies, themes), round_.threshold_percent)
    parts = []
    for level in LEVELS:
        if level == "school":
            part = rollup(frame[frame["scan_id"] == scan_id], level)
        elif level == "city":
            part = rollup(frame, level)
        else:
            key = LEVEL_KEYS[level][0]
            if pd.isna(mine[key]):
                continue  # no wijk or stadsdeel (VO, SV): no group at this level
            part = rollup(frame[frame[key] == mine[key]], level)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def _stored_school_tallies(
    round_: Round, scans: pd.DataFrame, *, exclude_school: int
) -> pd.DataFrame:
    """Σ sufficient / answered / n.v.t. per scan and theme as stored in the school rows.

    About 100,000 rows at 7,000 schools: fetched as integers on a bare cursor (the key cast in
    SQL) into one flat numpy array, and the school ids mapped to scan ids with a pandas index,
    as `aggregation.load_round` does; a frame of tuples and a map over text keys cost several
    times more than the rest of an incremental update."""
    query = (
        AggregateRow.objects.filter(round=round_, level="school", theme__isnull=False)
        .exclude(key=str(exclude_school))
        # All-zero tallies (every scan not submitted) are what a missing row means anyway.
        .exclude(sufficient=0, answered=0, nvt=0)
        .values_list(Cast("key", BigIntegerField()), "theme_id", "sufficient", "answered", "nvt")
        .order_by()
    )
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    flat = np.fromiter(itertools.chain.from_iterable(rows), dtype="int64", count=5 * len(rows))
    stored = flat.reshape(-1, 5)
    position = pd.Index(scans["school_id"].astype("int64")).get_indexer(pd.Index(stored[:, 0]))
    known = position >= 0  # rows of a school no longer in the round are left out
    stored = stored[known]
    scan_ids = scans["scan_id"].to_numpy(dtype="int64")[position[known]]
    columns = {"scan_id": scan_ids, "theme_id": stored[:, 1]}
    columns.update({name: stored[:, i] for i, name in enumerate(TALLY_COLUMNS[2:], start=2)})
    return pd.DataFrame(columns)[TALLY_COLUMNS]


def _replace_rows(round_: Round, results: pd.DataFrame) -> None:
    """Delete the stored rows of the groups in `results` and insert `results` instead."""
    # One DELETE per group: each is a lookup on the (round, level, key, theme) index, where one
    # DELETE with the groups OR-ed together scanned the round's rows (~100 ms at 7,000 schools).
    for level, key in results[["level", "key"]].drop_duplicates().itertuples(index=False):
        AggregateRow.objects.filter(round=round_, level=level, key=key).delete()
    insert_rows(AggregateRow._meta.db_table, ROW_COLUMNS, aggregate_rows(round_, results))


def _shift_statement_tallies(round_: Round, scan_id: int, sign: int) -> None:
    """Add (`sign` 1, a submit) or take away (-1, a reopen) one scan's answers in the stored
    per-statement tallies of its sector. A submitted scan cannot be edited, so at a reopen its
    answers are still those that were added at its submit; its n.v.t. answers count as a
    submitted scan's do (`progress.counted_nvt_filter`). Integers, so nothing drifts; should a
    tally go below zero all the same, the sector is tallied again from the answers."""
    from selfscan.norms.models import NVT_CODE, ScaleLevel
    from selfscan.scans.models import Answer, Scan

    sector, version_id = Scan.objects.values_list("sector", "norm_version_id").get(pk=scan_id)
    sufficient_codes = (
        set(
            ScaleLevel.objects.filter(version_id=version_id, sufficient=True).values_list(
                "code", flat=True
            )
        )
        if version_id in round_versions(round_)
        else set()
    )
    stored = {
        sid: [s, a, n]
        for sid, s, a, n in StatementTally.objects.filter(round=round_, sector=sector).values_list(
            "statement_id", "sufficient", "answered", "nvt"
        )
    }
    for statement_id, value in Answer.objects.filter(scan_id=scan_id).values_list(
        "statement_id", "value"
    ):
        tally = stored.setdefault(statement_id, [0, 0, 0])
        tally[0] += sign * (value in sufficient_codes)
        tally[1] += sign * (value not in ("", NVT_CODE))
        tally[2] += sign * (value == NVT_CODE)
    if any(v < 0 for tally in stored.values() for v in tally):
        fresh = statement_tally_query(
            round_.pk, round_versions(round_), Q(scan__sector=sector), by_sector=True
        )
        rows = [(round_.pk, *row) for row in fresh]
    else:
        rows = [(round_.pk, sector, sid, *tally) for sid, tally in stored.items()]
    StatementTally.objects.filter(round=round_, sector=sector).delete()
    insert_rows(StatementTally._meta.db_table, STATEMENT_COLUMNS, rows)
