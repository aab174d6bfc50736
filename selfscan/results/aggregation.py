"""Aggregation of a round at every level with pandas.

Two queries feed it: the round's scans with their register snapshot (sector, wijk, stadsdeel,
bestuur) and the answers of its submitted scans counted per scan and theme in the database
(sufficient, answered, n.v.t.). Everything else is column arithmetic in pandas:

- levels: school, wijk, stadsdeel, bestuur, sector, city, each for the whole norm (theme 0) and
  per theme;
- per group: invited, submitted, scored (submitted with something answered), meeting, the sums of
  sufficient / answered / n.v.t. (pooled share = Σ sufficient / Σ answered), the mean, minimum,
  median and maximum of the school shares, and a histogram of school shares in 20 bins of 5
  percentage points (bin = min(19, 20 × sufficient // answered): integer, so 85% starts bin 17).

"Meets" uses `scoring.meets_threshold` on integer columns: the same expression as for one scan.
Groups come from the scan snapshot, never from today's register.
"""

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet

from selfscan.norms.models import NVT_CODE, ScaleLevel, Theme
from selfscan.results.scoring import meets_threshold

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
            nvt=Count("id", filter=Q(value=NVT_CODE)),
        )
        .order_by()
    )


def load_round(round_id: int) -> RoundFrames:
    """The round's scans, per-scan-and-theme tallies and themes: four small queries."""
    from selfscan.scans.models import Scan

    scan_rows = list(
        Scan.objects.filter(round_id=round_id).values_list(
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
    )
    scans = pd.DataFrame(scan_rows, columns=SCAN_COLUMNS)
    version_ids = sorted({int(v) for v in scans["version_id"].unique()})
    # Executed on a bare cursor: the ORM builds the query, fetchall skips per-row model work.
    sql, params = tally_query(round_id, version_ids).query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One large scan of the round's answers: let PostgreSQL split it over its parallel
            # workers (its default costs judge the setup too dear for a query of this size).
            # SET LOCAL ends with this transaction. docs/decisions/0043-parallel-tally.md
            cursor.execute("SET LOCAL parallel_setup_cost = 0")
            cursor.execute("SET LOCAL parallel_tuple_cost = 0")
        cursor.execute(sql, params)
        tally_rows = cursor.fetchall()
    tallies = pd.DataFrame(tally_rows, columns=TALLY_COLUMNS)
    theme_rows = list(
        Theme.objects.filter(version_id__in=version_ids, statements__counts_for_norm=True)
        .distinct()
        .values_list("id", "version_id", "code", "title")
    )
    themes = pd.DataFrame(theme_rows, columns=THEME_COLUMNS)
    return RoundFrames(scans, tallies, themes)


# --- computing (pure pandas) ----------------------------------------------------------------


def school_theme_frame(frames: RoundFrames, threshold: int) -> pd.DataFrame:
    """One row per scan × theme of its version plus one per scan for the whole norm (theme 0)."""
    scans = frames.scans.copy()
    scans["is_submitted"] = (scans["status"] == "ingediend").astype("int64")
    per_theme = scans.merge(frames.themes[["theme_id", "version_id"]], on="version_id")
    per_theme = per_theme.merge(frames.tallies, on=["scan_id", "theme_id"], how="left")
    counts = ["sufficient", "answered", "nvt"]
    per_theme[counts] = per_theme[counts].fillna(0).astype("int64")
    norm = per_theme.groupby("scan_id", sort=False)[counts].sum().reset_index()
    norm = scans.merge(norm, on="scan_id", how="left")
    norm[counts] = norm[counts].fillna(0).astype("int64")
    norm["theme_id"] = NORM
    frame = pd.concat([norm, per_theme], ignore_index=True)
    return add_school_scores(frame, threshold)


def add_school_scores(frame: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Per row: scored, meets (integer rule), share, histogram bin (one-hot)."""
    sufficient = frame["sufficient"].to_numpy(dtype="int64")
    answered = frame["answered"].to_numpy(dtype="int64")
    scored = (frame["is_submitted"].to_numpy() == 1) & (answered > 0)
    frame["scored"] = scored.astype("int64")
    frame["meeting"] = (scored & meets_threshold(sufficient, answered, threshold)).astype("int64")
    safe = np.where(answered > 0, answered, 1)
    frame["share"] = np.where(scored, sufficient / safe, np.nan)
    bins = np.minimum(HIST_BINS - 1, (HIST_BINS * sufficient) // safe)
    for i, column in enumerate(HIST_COLUMNS):
        frame[column] = (scored & (bins == i)).astype("int64")
    # Answers of scans that are not submitted never count (they are tallied as zero anyway).
    return frame


LEVEL_KEYS = {
    "school": ("school_id", "school_name"),
    "wijk": ("wijk_id", "wijk_name"),
    "stadsdeel": ("stadsdeel_id", "stadsdeel_name"),
    "bestuur": ("bestuur_id", "bestuur_name"),
    "sector": ("sector", "sector"),
    "city": ("city_key", "city_key"),
}


SUMS = ["is_submitted", "scored", "meeting", "sufficient", "answered", "nvt", *HIST_COLUMNS]


def rollup(frame: pd.DataFrame, level: str) -> pd.DataFrame:
    """Aggregate the school × theme frame to one row per group of `level` and theme."""
    key, label = LEVEL_KEYS[level]
    if level == "school":
        return _school_rows(frame)
    data = frame
    if level == "city":
        keys: list[str] = ["theme_id"]
    else:
        keys = [key, "theme_id"]
        if data[key].isna().any():  # wijk and stadsdeel: VO and SV have none
            data = data[data[key].notna()]
    grouped = data.groupby(keys, sort=True)
    out = grouped[SUMS].sum()
    out["invited"] = grouped.size()
    shares = grouped["share"]
    out["mean_share"] = shares.mean()
    out["min_share"] = shares.min()
    out["median_share"] = shares.median()
    out["max_share"] = shares.max()
    out = out.reset_index().rename(columns={"is_submitted": "submitted"})
    if level == "city":
        out["key"] = CITY_KEY
        out["label"] = CITY_KEY
    else:
        out = out.rename(columns={key: "key"})
        if label == key:
            out["label"] = out["key"]
        else:
            out["label"] = out["key"].map(data.drop_duplicates(key).set_index(key)[label])
        out["key"] = _key_text(out["key"])
    out["level"] = level
    return out[RESULT_COLUMNS]


def _school_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """A school is its own group (one scan per school and round): no grouping needed."""
    out = frame.rename(
        columns={"school_id": "key", "school_name": "label", "is_submitted": "submitted"}
    )
    out = out.assign(
        invited=1,
        mean_share=out["share"],
        min_share=out["share"],
        median_share=out["share"],
        max_share=out["share"],
        level="school",
    )
    out["key"] = _key_text(out["key"])
    return out[RESULT_COLUMNS]


def _key_text(keys: pd.Series) -> pd.Series:
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
