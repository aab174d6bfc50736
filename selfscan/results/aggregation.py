"""Aggregation of a round at every level with pandas.

Two queries feed it: the round's scans with their register snapshot (sector, wijk, stadsdeel,
bestuur) and the answers of its submitted scans counted per scan and theme in the database
(sufficient, answered, n.v.t.). Everything else is column arithmetic in pandas and numpy: one
school × theme frame, then per level integer group codes, weighted bin counts for the sums, and
the scored schools counted per group and share (`ShareCounts`, stored with the row so that a
submit can update it, 0260) for mean, minimum, median, maximum and histogram
(docs/decisions/0040, 0043):

- levels: school, wijk, stadsdeel, bestuur, sector, city, each for the whole norm (theme 0) and
  per theme;
- per group: invited, submitted, scored (submitted with something answered), meeting, the sums of
  sufficient / answered / n.v.t. (pooled share = Σ sufficient / Σ answered), the mean, minimum,
  median and maximum of the school shares, and a histogram of school shares in 20 bins of 5
  percentage points (bin = min(19, 20 × sufficient // answered): integer, so 85% starts bin 17).

"Meets" uses `scoring.meets_threshold` on integer columns: the same expression as for one scan.
Groups come from the scan snapshot, never from today's register.
"""

import itertools
import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet

from selfscan.norms.models import NVT_CODE, ScaleLevel, Theme
from selfscan.results.scoring import meets_threshold
from selfscan.scans.progress import counted_nvt_filter

LEVELS = ["school", "wijk", "stadsdeel", "bestuur", "sector", "city"]
HIST_BINS = 20
HIST_COLUMNS = [f"h{i}" for i in range(HIST_BINS)]
NORM = 0  # theme id of the whole-norm rows
CITY_KEY = "stad"

SCAN_COLUMNS = [
    "scan_id",
    "school_id",
    "school_name",
    "vestigingscode",
    "sector",
    "wijk_id",
    "wijk_name",
    "stadsdeel_id",
    "stadsdeel_name",
    "bestuur_id",
    "bestuur_name",
    "status",
    "version_id",
]
TALLY_COLUMNS = ["scan_id", "theme_id", "sufficient", "answered", "nvt"]
THEME_COLUMNS = ["theme_id", "version_id", "theme_code", "theme_title"]
RESULT_COLUMNS = [
    "level",
    "key",
    "label",
    "theme_id",
    "invited",
    "submitted",
    "scored",
    "meeting",
    "sufficient",
    "answered",
    "nvt",
    "mean_share",
    "min_share",
    "median_share",
    "max_share",
    *HIST_COLUMNS,
    "share_counts",
]


@dataclass
class RoundFrames:
    scans: pd.DataFrame  # SCAN_COLUMNS
    tallies: pd.DataFrame  # TALLY_COLUMNS, submitted scans only
    themes: pd.DataFrame  # THEME_COLUMNS


# --- loading (the only part that touches the database) -------------------------------------


def sufficient_filter(version_ids: list[int]) -> Q:
    """Q over Answer: the value is a sufficient scale code of the scan's own norm version."""
    codes: dict[int, set[str]] = {}
    for version_id, code in ScaleLevel.objects.filter(
        version_id__in=version_ids, sufficient=True
    ).values_list("version_id", "code"):
        codes.setdefault(version_id, set()).add(code)
    query = Q(pk__in=[])
    for version_id, version_codes in codes.items():
        query |= Q(scan__norm_version_id=version_id, value__in=sorted(version_codes))
    return query


def tally_query(round_id: int, version_ids: list[int]) -> "QuerySet[Any]":
    """Σ sufficient, Σ answered, Σ n.v.t. per submitted scan and theme: one GROUP BY."""
    from selfscan.scans.models import Answer, Scan

    answered = ~Q(value="") & ~Q(value=NVT_CODE)
    return (
        Answer.objects.filter(
            scan__round_id=round_id,
            scan__status=Scan.Status.SUBMITTED,
            statement__counts_for_norm=True,
        )
        .values_list("scan_id", "statement__theme_id")
        .annotate(
            sufficient=Count("id", filter=sufficient_filter(version_ids)),
            answered=Count("id", filter=answered),
            nvt=Count("id", filter=counted_nvt_filter()),
        )
        .order_by()
    )


def statement_tally_query(
    round_id: int, version_ids: list[int], scan_filter: Q, *, by_sector: bool = False
) -> "QuerySet[Any]":
    """Σ sufficient, Σ answered, Σ n.v.t. per statement (per sector and statement with
    `by_sector`) over the round's submitted scans in `scan_filter`: one GROUP BY. The figures
    of the "change since an earlier round" (`selectors.change_since`)."""
    from selfscan.scans.models import Answer, Scan

    group = ("scan__sector", "statement_id") if by_sector else ("statement_id",)
    return (
        Answer.objects.filter(scan__round_id=round_id, scan__status=Scan.Status.SUBMITTED)
        .filter(scan_filter)
        .values_list(*group)
        .annotate(
            sufficient=Count("id", filter=sufficient_filter(version_ids)),
            answered=Count("id", filter=~Q(value="") & ~Q(value=NVT_CODE)),
            nvt=Count("id", filter=counted_nvt_filter()),
        )
        .order_by()
    )


def fetch_tally(round_id: int, version_ids: list[int]) -> list[tuple[int, ...]]:
    """The rows of `tally_query`, executed on a bare cursor: the ORM builds the query,
    fetchall skips per-row model work."""
    sql, params = tally_query(round_id, version_ids).query.sql_with_params()
    if connection.vendor != "postgresql":
        # No transaction of its own: on SQLite every transaction here takes the write lock.
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    with transaction.atomic(), connection.cursor() as cursor:
        # One large scan of the round's answers: let PostgreSQL split it over its parallel
        # workers (its default costs judge the setup too dear for a query of this size).
        # SET LOCAL ends with this transaction. docs/decisions/0043-parallel-tally.md
        cursor.execute("SET LOCAL parallel_setup_cost = 0")
        cursor.execute("SET LOCAL parallel_tuple_cost = 0")
        cursor.execute(sql, params)
        return cursor.fetchall()


SCAN_FIELDS = (
    "id",
    "school_id",
    "school__name",
    "school__vestigingscode",
    "sector",
    "wijk_id",
    "wijk__name",
    "stadsdeel_id",
    "stadsdeel__name",
    "bestuur_id",
    "bestuur__name",
    "status",
    "norm_version_id",
)


def load_scans(round_id: int, scan_ids: list[int] | None = None) -> pd.DataFrame:
    """The round's scans (only `scan_ids` when given) with their register snapshot
    (SCAN_COLUMNS): one query."""
    from selfscan.scans.models import Scan

    scans = Scan.objects.filter(round_id=round_id)
    if scan_ids is not None:
        scans = scans.filter(pk__in=scan_ids)
    scan_rows = list(scans.values_list(*SCAN_FIELDS))
    return pd.DataFrame(scan_rows, columns=SCAN_COLUMNS)


def load_themes(version_ids: list[int]) -> pd.DataFrame:
    """The themes of the versions that have statements counting for the norm: one query."""
    theme_rows = list(
        Theme.objects.filter(version_id__in=version_ids, statements__counts_for_norm=True)
        .distinct()
        .values_list("id", "version_id", "code", "title")
    )
    return pd.DataFrame(theme_rows, columns=THEME_COLUMNS)


def load_round(round_id: int) -> RoundFrames:
    """The round's scans, per-scan-and-theme tallies and themes: four small queries."""
    scans = load_scans(round_id)
    version_ids = sorted({int(v) for v in scans["version_id"].unique()})
    tally_rows = fetch_tally(round_id, version_ids)
    # Five integers per row: one flat numpy array is much cheaper than a frame of tuples.
    flat = np.fromiter(
        itertools.chain.from_iterable(tally_rows),
        dtype="int64",
        count=len(TALLY_COLUMNS) * len(tally_rows),
    )
    tallies = pd.DataFrame(flat.reshape(-1, len(TALLY_COLUMNS)), columns=TALLY_COLUMNS)
    return RoundFrames(scans, tallies, load_themes(version_ids))


# --- computing (pure pandas and numpy) -------------------------------------------------------


def school_theme_frame(frames: RoundFrames, threshold: int) -> pd.DataFrame:
    """One row per scan × theme of its version plus one per scan for the whole norm (theme 0).

    Numpy positions instead of pandas merges (a merge costs a millisecond or two of overhead
    even for the one scan of an update after a submit): each scan's rows follow the order of
    `frames.themes`, and its tallies are looked up by (scan, theme)."""
    scans = frames.scans.copy()
    scans["sector"] = scans["sector"].astype("category")  # cheap to group on
    scans["school_key"] = key_text(scans["school_id"])  # once per school, not per theme row
    scans["is_submitted"] = (scans["status"] == "ingediend").astype("int64")
    # The themes of each scan's version: a run of `order` per version.
    theme_versions = frames.themes["version_id"].to_numpy(dtype="int64")
    order = np.argsort(theme_versions, kind="stable")
    scan_versions = scans["version_id"].to_numpy(dtype="int64")
    first = np.searchsorted(theme_versions[order], scan_versions, side="left")
    runs = np.searchsorted(theme_versions[order], scan_versions, side="right") - first
    scan_pos = np.repeat(np.arange(len(scans)), runs)
    within = np.arange(len(scan_pos)) - np.repeat(np.cumsum(runs) - runs, runs)
    theme_ids = frames.themes["theme_id"].to_numpy(dtype="int64")[
        order[np.repeat(first, runs) + within]
    ]
    # Each row's tallies (none: all zero; scans that are not submitted have none).
    tallies = frames.tallies[TALLY_COLUMNS].to_numpy(dtype="int64")
    base = int(max(theme_ids.max(initial=0), tallies[:, 1].max(initial=0))) + 1
    tally_keys = pd.Index(tallies[:, 0] * base + tallies[:, 1])
    scan_ids = scans["scan_id"].to_numpy(dtype="int64")
    found = tally_keys.get_indexer(scan_ids[scan_pos] * base + theme_ids)
    # Not found is -1: the row of zeros put after the tallies.
    values = np.vstack((tallies[:, 2:], np.zeros((1, 3), dtype="int64")))[found]
    counts = ["sufficient", "answered", "nvt"]
    per_theme = scans.iloc[scan_pos].reset_index(drop=True)
    per_theme["theme_id"] = theme_ids
    norm = scans
    norm["theme_id"] = NORM
    for i, column in enumerate(counts):
        per_theme[column] = values[:, i]
        sums = np.bincount(scan_pos, weights=values[:, i], minlength=len(scans))
        norm[column] = sums.astype("int64")
    frame = pd.concat([norm, per_theme], ignore_index=True)
    return add_school_scores(frame, threshold)


def add_school_scores(frame: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Per row: scored, meets (integer rule), share, histogram bin (-1 when not scored)."""
    sufficient = frame["sufficient"].to_numpy(dtype="int64")
    answered = frame["answered"].to_numpy(dtype="int64")
    scored = (frame["is_submitted"].to_numpy() == 1) & (answered > 0)
    frame["scored"] = scored.astype("int64")
    frame["meeting"] = (scored & meets_threshold(sufficient, answered, threshold)).astype("int64")
    safe = np.where(answered > 0, answered, 1)
    frame["share"] = np.where(scored, sufficient / safe, np.nan)
    frame["bin"] = np.where(scored, np.minimum(HIST_BINS - 1, (HIST_BINS * sufficient) // safe), -1)
    # Answers of scans that are not submitted never count (they are tallied as zero anyway).
    return frame


LEVEL_KEYS = {
    "school": ("school_id", "school_name"),
    "wijk": ("wijk_id", "wijk_name"),
    "stadsdeel": ("stadsdeel_id", "stadsdeel_name"),
    "bestuur": ("bestuur_id", "bestuur_name"),
    "sector": ("sector", "sector"),
}
SUMS = ["is_submitted", "scored", "meeting", "sufficient", "answered", "nvt"]


def rollup(frame: pd.DataFrame, level: str) -> pd.DataFrame:
    """Aggregate the school × theme frame to one row per group of `level` and theme.

    Plain numpy on integer group codes (one code per group × theme): the counts are weighted bin
    counts; the share figures (mean, minimum, median, maximum, histogram) come from the group's
    `ShareCounts`, which are kept in the row too (`share_counts`) so that a submit can update
    them without reading every school (docs/decisions/0260). Groups without a key (wijk and
    stadsdeel of VO and SV schools) are left out.
    """
    if level == "school":
        return _school_rows(frame)
    # sort=True: groups come out ordered by key, then theme, as a groupby would give them.
    themes, theme_ids = pd.factorize(frame["theme_id"], sort=True)
    if level == "city":
        keys, key_values = np.zeros(len(frame), dtype="int64"), pd.Index([CITY_KEY])
        labels = pd.Series([CITY_KEY])
    else:
        key, label = LEVEL_KEYS[level]
        keys, key_values = pd.factorize(frame[key], sort=True)  # missing key: -1
        # Any row of a group names it: the label is a function of the key.
        first = np.empty(len(key_values), dtype="int64")
        first[keys[keys >= 0]] = np.flatnonzero(keys >= 0)
        labels = pd.Series(frame[label].to_numpy()[first])
        key_values = pd.Index(key_text(pd.Series(key_values)))
    n_themes = len(theme_ids)
    n_groups = len(key_values) * n_themes
    keep = keys >= 0
    codes = (keys * n_themes + themes)[keep]
    invited = np.bincount(codes, minlength=n_groups)
    present = np.flatnonzero(invited)
    out: dict[str, Any] = {
        "level": level,
        "key": key_values[present // n_themes],
        "label": labels.to_numpy()[present // n_themes],
        "theme_id": theme_ids.to_numpy()[present % n_themes],
        "invited": invited[present],
    }
    for column in SUMS:
        weights = frame[column].to_numpy(dtype="float64")[keep]
        sums = np.bincount(codes, weights=weights, minlength=n_groups)
        out["submitted" if column == "is_submitted" else column] = sums[present].astype("int64")
    scored = frame["scored"].to_numpy()[keep] == 1
    counts = ShareCounts.tally(
        codes[scored],
        frame["sufficient"].to_numpy(dtype="int64")[keep][scored],
        frame["answered"].to_numpy(dtype="int64")[keep][scored],
    )
    out.update(counts.figures(n_groups, present))
    return pd.DataFrame(out, columns=RESULT_COLUMNS)


@dataclass
class ShareCounts:
    """The scored schools of some groups by share: one entry per distinct (group, answered,
    sufficient), in that order, with the number of schools that have it.

    Everything a group row says about its school shares (mean, minimum, median, maximum,
    histogram) is a function of these counts, and they add up: a group's counts after a submit
    are its stored counts minus the school's old share plus its new one. The full aggregation
    and the update after a submit both compute the figures here, from the same entries in the
    same order, so they agree to the last bit (the mean is a float sum)."""

    group: np.ndarray
    sufficient: np.ndarray
    answered: np.ndarray
    schools: np.ndarray

    @classmethod
    def tally(
        cls,
        group: np.ndarray,
        sufficient: np.ndarray,
        answered: np.ndarray,
        weights: np.ndarray | None = None,
    ) -> "ShareCounts":
        """Count (group, sufficient, answered) triples, each `weights` times (1, or -1 to take
        one away); entries that come to zero are left out."""
        if len(group) == 0:
            empty = np.zeros(0, dtype="int64")
            return cls(empty, empty, empty, empty)
        base = int(max(answered.max(), sufficient.max())) + 1
        code = (group.astype("int64") * base + answered) * base + sufficient
        distinct, inverse = np.unique(code, return_inverse=True)
        if weights is None:
            schools = np.bincount(inverse.ravel(), minlength=len(distinct))
        else:
            totals = np.bincount(inverse.ravel(), weights=weights, minlength=len(distinct))
            schools = np.rint(totals).astype("int64")
        kept = schools != 0
        distinct = distinct[kept]
        return cls(
            distinct // (base * base), distinct % base, distinct // base % base, schools[kept]
        )

    def figures(self, n_groups: int, present: np.ndarray) -> dict[str, Any]:
        """Per group in `present` (of `n_groups` group codes): mean, minimum, median and maximum
        of the scored school shares, the histogram columns, and the counts themselves as
        `share_counts` (JSON text, `texts`)."""
        share = self.sufficient / np.maximum(self.answered, 1)  # every entry is scored: > 0
        count = np.bincount(self.group, weights=self.schools, minlength=n_groups).astype("int64")
        has = count > 0
        # Entries by (group, share); the k-th school of a group is the entry whose running
        # count first exceeds the group's start + k.
        order = np.lexsort((share, self.group))
        ordered = share[order]
        running = np.cumsum(self.schools[order])
        start = np.concatenate(([0], np.cumsum(count)[:-1]))

        def pick(rank: np.ndarray) -> np.ndarray:
            if not len(ordered):
                return np.full(len(present), np.nan)
            index = np.searchsorted(running, np.where(has, rank, 0), side="right")
            values = ordered[np.minimum(index, len(ordered) - 1)]
            return np.where(has, values, np.nan)[present]

        total = np.bincount(self.group, weights=self.schools * share, minlength=n_groups)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(has, total / np.maximum(count, 1), np.nan)[present]
        safe = np.maximum(self.answered, 1)
        bins = np.minimum(HIST_BINS - 1, (HIST_BINS * self.sufficient) // safe)
        hist = np.bincount(
            self.group * HIST_BINS + bins, weights=self.schools, minlength=n_groups * HIST_BINS
        )
        hist = hist.astype("int64").reshape(n_groups, HIST_BINS)[present]
        out: dict[str, Any] = {
            "mean_share": mean,
            "min_share": pick(start),
            "median_share": (pick(start + (count - 1) // 2) + pick(start + count // 2)) / 2,
            "max_share": pick(start + count - 1),
        }
        out.update({column: hist[:, i] for i, column in enumerate(HIST_COLUMNS)})
        out["share_counts"] = self.texts(present)
        return out

    def texts(self, groups: np.ndarray) -> list[str]:
        """The entries of each of `groups` as JSON text, [[sufficient, answered, schools], ...]
        (what `json.dumps` writes, built here: ten times cheaper for 13,000 groups)."""
        entries = [
            f"[{s}, {a}, {n}]"
            for s, a, n in zip(
                self.sufficient.tolist(), self.answered.tolist(), self.schools.tolist(), strict=True
            )
        ]
        bounds = np.searchsorted(self.group, np.concatenate((groups, groups + 1))).tolist()
        lows, highs = bounds[: len(groups)], bounds[len(groups) :]
        return ["[" + ", ".join(entries[lo:hi]) + "]" for lo, hi in zip(lows, highs, strict=True)]

    @classmethod
    def from_texts(cls, texts: list[str]) -> "ShareCounts":
        """The inverse of `texts`: group i has the entries of texts[i]."""
        lists = [json.loads(text) for text in texts]
        group = np.repeat(np.arange(len(lists)), [len(entries) for entries in lists])
        flat = np.array([e for entries in lists for e in entries], dtype="int64").reshape(-1, 3)
        return cls(group, flat[:, 0], flat[:, 1], flat[:, 2])


def _school_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """A school is its own group (one scan per school and round): no grouping needed."""
    share = frame["share"].to_numpy()
    hist = np.zeros((len(frame), HIST_BINS), dtype="int64")
    bins = frame["bin"].to_numpy()
    scored = np.flatnonzero(bins >= 0)
    hist[scored, bins[scored]] = 1
    out: dict[str, Any] = {
        "level": "school",
        "key": (
            frame["school_key"] if "school_key" in frame else key_text(frame["school_id"])
        ).to_numpy(),
        "label": frame["school_name"].to_numpy(),
        "theme_id": frame["theme_id"].to_numpy(),
        "invited": 1,
        "submitted": frame["is_submitted"].to_numpy(),
        **{column: frame[column].to_numpy() for column in SUMS[1:]},
        "mean_share": share,
        "min_share": share,
        "median_share": share,
        "max_share": share,
        **{column: hist[:, i] for i, column in enumerate(HIST_COLUMNS)},
        "share_counts": None,  # a school's own share is in its row
    }
    return pd.DataFrame(out, columns=RESULT_COLUMNS)


def key_text(keys: pd.Series) -> pd.Series:
    """Group keys as text: ids (int, or float after missing values) without a decimal point."""
    if pd.api.types.is_numeric_dtype(keys):
        return keys.astype("int64").astype(str)
    return keys.astype(str)


def compute_results(frames: RoundFrames, threshold: int) -> pd.DataFrame:
    """All indicators at every level, whole norm (theme_id 0) and per theme."""
    frame = school_theme_frame(frames, threshold)
    return pd.concat([rollup(frame, level) for level in LEVELS], ignore_index=True)


def aggregate_round(round_id: int, threshold: int) -> pd.DataFrame:
    """Load and compute: the full all-level aggregation of one round."""
    return compute_results(load_round(round_id), threshold)
