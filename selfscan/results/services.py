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
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q

from selfscan.core.bulk import insert_rows
from selfscan.core.tasks import enqueue_on_commit
from selfscan.results.aggregation import (
    CITY_KEY,
    HIST_COLUMNS,
    LEVEL_KEYS,
    LEVELS,
    NORM,
    RESULT_COLUMNS,
    TALLY_COLUMNS,
    RoundFrames,
    ShareCounts,
    aggregate_round,
    key_text,
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

logger = logging.getLogger(__name__)

# 2: per-statement tallies stored (docs/decisions/0230); 3: share counts of the groups (0260)
FORMAT_VERSION = "3"
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
    "share_counts",
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
    whole norm, NULL for a share that is NaN, the histogram and the share counts as JSON text;
    `[]` for a school (a school's own "distribution" is its share, and pages never read it).
    """
    theme = results["theme_id"].astype("int64")
    groups = (results["level"] != "school").to_numpy()
    histograms = np.full(len(results), "[]", dtype=object)
    counts = results.loc[groups, HIST_COLUMNS].astype("int64").to_numpy().tolist()
    histograms[groups] = [json.dumps(row) for row in counts]
    share_counts = np.where(groups, results["share_counts"].to_numpy(), "[]")
    columns = [
        [round_.pk] * len(results),
        results["level"].astype(str).tolist(),
        results["key"].astype(str).tolist(),
        results["label"].astype(str).str.slice(0, 200).tolist(),
        theme.astype(object).where(theme != NORM, None).tolist(),
        *(results[column].astype("int64").tolist() for column in COUNT_COLUMNS),
        *(_nullable(results[column]).tolist() for column in SHARE_COLUMNS),
        histograms.tolist(),
        share_counts.tolist(),
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
        if state.data_version == data_version(round_):
            # The stored rows are current (submits updated them while these were computed):
            # rows of an older state must not replace them. Storing them put the state behind
            # the scans, so every later submit fell back to a full recompute: a cascade that
            # stalled a national load run (benchmarks/RESULTS-load.md).
            return
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
    if stored and data_version(round_) in stored:
        # A submit landed between the two reads (it changes its scan and the stored rows in
        # one transaction): the rows are current, no recompute is needed.
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

    The groups' rows are their stored rows with this school's old row taken away and its new
    row added (their counts and share counts add up), so neither the round's answers nor the
    other schools' rows are read, and only a few dozen rows are written (docs/decisions/0210,
    0260).
    This works only on rows that were current just before this change: otherwise (nothing
    stored yet, or a recompute still to come) a full recompute is sent to the background and
    the pages show the stored rows with their date until it is done. Answers whether the rows
    were updated here.

    What reads only this scan (its own rows, its answers' share in the statement tallies) is
    computed before the round's writer lock: the caller holds the scan's row, so it cannot
    change, and a round's submits queue only for the part that reads and writes the stored
    rows (docs/decisions/0277)."""

    with transaction.atomic():
        round_ = Round.objects.get(pk=round_id)
        if round_.status in FINAL_STATUSES:
            return _recompute_instead(round_id, scan_id, "final round")
        change = school_change(round_, scan_id)
        shift = None
        if (was_submitted_at is None) != (now_submitted_at is None):
            shift = _statement_shift(round_, scan_id, 1 if now_submitted_at is not None else -1)
        # One writer per round at a time: a concurrent submit waits here, then builds on ours.
        state = ResultState.objects.select_for_update().filter(round=round_).first()
        if state is None:
            return _recompute_instead(round_id, scan_id, "nothing stored yet")
        before, after = _versions_around(round_, scan_id, was_submitted_at, now_submitted_at)
        if state.data_version != before:
            return _recompute_instead(round_id, scan_id, "stored rows not current")
        rows = affected_rows(round_, scan_id, change)
        if rows is None:
            return _recompute_instead(round_id, scan_id, "a stored group row is missing")
        _replace_rows(round_, rows)
        if shift is not None:
            _apply_statement_shift(round_, shift)
        state.data_version = after
        state.save()
    return True


def _recompute_instead(round_id: int, scan_id: int, why: str) -> bool:
    """Send the round's full recompute to the background instead of the update, and say so in
    the log (at national size a recompute costs seconds: it should be rare)."""
    from .tasks import compute_round_results

    logger.info("results: round %s: full recompute after scan %s (%s)", round_id, scan_id, why)
    enqueue_on_commit(compute_round_results, round_id)
    return False


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


GroupName = tuple[str, str, int]  # level, key, theme id (0: the whole norm): one stored row


@dataclass(frozen=True)
class SchoolChange:
    """The new rows of some schools (one scan each) and the groups above them: what an update
    of the stored rows needs from those scans alone (`school_change`)."""

    schools: pd.DataFrame  # the schools' rows (school × theme), as a full aggregation makes them
    members: list[tuple[int, int]]  # (row of `schools`, position in `groups`) per level
    groups: dict[GroupName, str]  # the groups above them: name → label


def school_change(round_: Round, scan_ids: int | Iterable[int]) -> SchoolChange:
    """The rows of the scans `scan_ids` (one id or several) as they are now, and the groups
    they count in. Reads only those scans and their answers (one small tally)."""
    ids = sorted({scan_ids} if isinstance(scan_ids, int) else set(scan_ids))
    scans = load_scans(round_.pk, ids)
    version_ids = sorted({int(v) for v in scans["version_id"].unique()})
    fresh = list(tally_query(round_.pk, version_ids).filter(scan_id__in=ids))
    tallies = pd.DataFrame(fresh, columns=TALLY_COLUMNS, dtype="int64")
    frames = RoundFrames(scans, tallies, load_themes(version_ids))
    frame = school_theme_frame(frames, round_.threshold_percent)
    schools = rollup(frame, "school")
    # Row i of `frame` and `schools` is one school × theme; `members` says in which group it
    # counts at each level above the school (a position in `groups`).
    members, groups = _group_members(frame)
    return SchoolChange(schools, members, groups)


def affected_rows(
    round_: Round, scan_ids: int | Iterable[int], change: SchoolChange | None = None
) -> pd.DataFrame | None:
    """The aggregate rows of the scans `scan_ids` (one id or several) after their status changed,
    and of the groups they belong to (wijk, stadsdeel, bestuur, sector, city; whole norm and
    per theme), each with the id of the stored row it replaces (`row_id`). `change`: those
    scans' `school_change`, when the caller made it already.

    The schools' rows are computed afresh from their answers (one small tally). A group's row is
    its stored row with these schools' stored rows taken away and their new rows added: its
    counts and its `ShareCounts` add up, and the share figures (mean, minimum, median, maximum,
    histogram) are computed from the counts by the same code as in a full aggregation, so no
    other school is read (docs/decisions/0260). None when a stored row this needs is missing;
    the caller then recomputes the round."""
    if change is None:
        change = school_change(round_, scan_ids)
    schools, members, groups = change.schools, change.members, change.groups
    school_rows = zip(schools["level"], schools["key"], schools["theme_id"].tolist(), strict=True)
    names = [*school_rows, *groups]
    stored = _stored_rows(round_, names)
    if stored is None:
        return None
    old, before = stored[: len(schools)], stored[len(schools) :]
    row, group = (np.array(column, dtype="int64") for column in zip(*members, strict=True))
    new_counts = schools[COUNT_COLUMNS].to_numpy(dtype="int64")
    old_counts = np.array([r[1] for r in old], dtype="int64")
    counts = np.array([r[1] for r in before], dtype="int64")
    np.add.at(counts, group, new_counts[row] - old_counts[row])
    kept = ShareCounts.from_texts([r[2] for r in before])
    parts = [(kept.group, kept.sufficient, kept.answered, kept.schools)]
    scored = COUNT_COLUMNS.index("scored")
    for sign, side in ((-1, old_counts), (1, new_counts)):
        mine = side[row]
        take = mine[:, scored] == 1
        s_a = mine[take][:, [COUNT_COLUMNS.index("sufficient"), COUNT_COLUMNS.index("answered")]]
        parts.append((group[take], s_a[:, 0], s_a[:, 1], np.full(len(s_a), sign)))
    shares = ShareCounts.tally(*(np.concatenate(column) for column in zip(*parts, strict=True)))
    if (shares.schools < 0).any() or (counts < 0).any():
        return None  # the stored rows do not hold these schools as they were: recompute
    level, key, theme, label = zip(*((*name, groups[name]) for name in groups), strict=True)
    out: dict[str, Any] = {"level": level, "key": key, "label": label, "theme_id": theme}
    out.update({column: counts[:, i] for i, column in enumerate(COUNT_COLUMNS)})
    out.update(shares.figures(len(groups), np.arange(len(groups))))
    rows = pd.concat([schools, pd.DataFrame(out, columns=RESULT_COLUMNS)], ignore_index=True)
    rows["row_id"] = [r[0] for r in stored]
    return rows


def _group_members(frame: pd.DataFrame) -> tuple[list[tuple[int, int]], dict[GroupName, str]]:
    """The groups above the school that the rows of the school × theme `frame` count in: the
    groups (name → label, in order of appearance) and per row and level (row, group position).
    Keys and labels as `rollup` makes them; a school without a wijk or stadsdeel is in no group
    at that level."""
    groups: dict[GroupName, str] = {}
    position: dict[GroupName, int] = {}
    members: list[tuple[int, int]] = []
    themes = frame["theme_id"].tolist()
    for level in LEVELS[1:]:
        keys: list[str | None] = [CITY_KEY] * len(frame)
        labels: list[str] = [CITY_KEY] * len(frame)
        if level != "city":
            key, label = LEVEL_KEYS[level]
            has = frame[key].notna().to_numpy()
            keys = [None] * len(frame)
            texts = key_text(frame[key][has]).tolist()
            for i, text in zip(np.flatnonzero(has).tolist(), texts, strict=True):
                keys[i] = text
            labels = frame[label].astype(str).tolist()
        for i, (key_value, label_value, theme) in enumerate(zip(keys, labels, themes, strict=True)):
            if key_value is None:
                continue
            name = (level, key_value, theme)
            if name not in position:
                position[name] = len(position)
                groups[name] = label_value  # as a full aggregation names the group today
            members.append((i, position[name]))
    return members, groups


def _stored_rows(round_: Round, names: list[GroupName]) -> list[tuple[Any, ...]] | None:
    """The stored rows `names`, in that order, as (id, counts (`COUNT_COLUMNS`), share counts
    text); None when one is missing."""
    # One query, a lookup on the (round, level, key) index; it may find a few rows more (a key of
    # one level that is also a key of another), which are left out below.
    found = AggregateRow.objects.filter(
        round=round_,
        level__in=sorted({level for level, _, _ in names}),
        key__in=sorted({key for _, key, _ in names}),
    ).values_list("id", "level", "key", "theme_id", *COUNT_COLUMNS, "share_counts")
    stored = {
        (level, key, theme or NORM): (pk, counts[:-1], counts[-1])
        for pk, level, key, theme, *counts in found
    }
    rows = [stored.get(name) for name in names]
    return None if None in rows else rows  # type: ignore[return-value]


def _replace_rows(round_: Round, results: pd.DataFrame) -> None:
    """Delete the stored rows that `results` replace (their `row_id`) and insert `results`."""
    AggregateRow.objects.filter(pk__in=results["row_id"].tolist()).delete()
    insert_rows(AggregateRow._meta.db_table, ROW_COLUMNS, aggregate_rows(round_, results))


def _statement_shift(round_: Round, scan_id: int, sign: int) -> tuple[str, dict[int, list[int]]]:
    """What one scan adds (`sign` 1, a submit) to or takes away (-1, a reopen) from the stored
    per-statement tallies of its sector: (sector, statement id → [sufficient, answered, n.v.t.]).
    A submitted scan cannot be edited, so at a reopen its answers are still those that were
    added at its submit; its n.v.t. answers count as a submitted scan's do
    (`progress.counted_nvt_filter`). Reads only this scan's answers."""
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
    shift: dict[int, list[int]] = {}
    for statement_id, value in Answer.objects.filter(scan_id=scan_id).values_list(
        "statement_id", "value"
    ):
        shift[statement_id] = [
            sign * (value in sufficient_codes),
            sign * (value not in ("", NVT_CODE)),
            sign * (value == NVT_CODE),
        ]
    return sector, shift


def _apply_statement_shift(round_: Round, shift: tuple[str, dict[int, list[int]]]) -> None:
    """Add a `_statement_shift` to the stored tallies of its sector (under the round's writer
    lock). Integers, so nothing drifts; should a tally go below zero all the same, the sector
    is tallied again from the answers."""
    sector, deltas = shift
    stored = {
        sid: [s, a, n]
        for sid, s, a, n in StatementTally.objects.filter(round=round_, sector=sector).values_list(
            "statement_id", "sufficient", "answered", "nvt"
        )
    }
    for statement_id, delta in deltas.items():
        tally = stored.setdefault(statement_id, [0, 0, 0])
        for i, value in enumerate(delta):
            tally[i] += value
    if any(v < 0 for tally in stored.values() for v in tally):
        fresh = statement_tally_query(
            round_.pk, round_versions(round_), Q(scan__sector=sector), by_sector=True
        )
        rows = [(round_.pk, *row) for row in fresh]
    else:
        rows = [(round_.pk, sector, sid, *tally) for sid, tally in stored.items()]
    StatementTally.objects.filter(round=round_, sector=sector).delete()
    insert_rows(StatementTally._meta.db_table, STATEMENT_COLUMNS, rows)
