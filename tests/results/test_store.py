"""Storing a round's aggregates: the stored rows are exactly what the aggregation computed, on
SQLite (one executemany) and PostgreSQL (COPY) alike, replacing the round's previous rows."""

from typing import Any

import pandas as pd
import pytest
from django.db import IntegrityError

from selfscan.results.aggregation import HIST_COLUMNS, NORM, aggregate_round
from selfscan.results.models import AggregateRow, ResultState
from selfscan.results.services import COUNT_COLUMNS, ROW_COLUMNS, SHARE_COLUMNS, store_results

FIELDS = [column for column in ROW_COLUMNS if column != "round_id"]


def _aggregation(ten_schools: Any) -> pd.DataFrame:
    round_ = ten_schools.round
    return aggregate_round(round_.pk, threshold=round_.threshold_percent)


def _expected(results: pd.DataFrame) -> list[tuple[Any, ...]]:
    """The rows as `AggregateRow` instances would hold them, one DataFrame row at a time."""
    rows = []
    for record in results.to_dict("records"):
        rows.append(
            (
                record["level"],
                str(record["key"]),
                str(record["label"])[:200],
                None if record["theme_id"] == NORM else int(record["theme_id"]),
                *(int(record[column]) for column in COUNT_COLUMNS),
                *(None if pd.isna(record[c]) else float(record[c]) for c in SHARE_COLUMNS),
                [] if record["level"] == "school" else [int(record[c]) for c in HIST_COLUMNS],
                "[]" if record["level"] == "school" else record["share_counts"],
            )
        )
    return rows


def _stored(round_: Any) -> list[tuple[Any, ...]]:
    return list(AggregateRow.objects.filter(round=round_).order_by("id").values_list(*FIELDS))


def test_row_columns_are_every_column_of_the_model():
    columns = {field.column for field in AggregateRow._meta.concrete_fields}
    assert set(ROW_COLUMNS) == columns - {"id"}
    assert len(ROW_COLUMNS) == len(set(ROW_COLUMNS))


def test_stored_rows_equal_the_aggregation(ten_schools):
    results = _aggregation(ten_schools)
    store_results(ten_schools.round, results, "v1")
    stored = _stored(ten_schools.round)
    assert stored == _expected(results)
    # (10 schools + 3 wijken + 2 stadsdelen + 2 besturen + 1 sector + the city) × (norm + 3 themes)
    assert len(stored) == 76


def test_nan_shares_are_stored_as_null(ten_schools):
    store_results(ten_schools.round, _aggregation(ten_schools), "v1")
    # S10 is invited but has not submitted: no share at all.
    s10 = AggregateRow.objects.get(
        round=ten_schools.round,
        level="school",
        key=str(ten_schools.schools["S10"].pk),
        theme__isnull=True,
    )
    assert (s10.mean_share, s10.min_share, s10.median_share, s10.max_share) == (None,) * 4
    assert AggregateRow.objects.filter(round=ten_schools.round, mean_share__isnull=True).count()
    assert s10.invited == 1
    assert s10.submitted == 0


def test_histograms_are_stored_for_groups_only(ten_schools):
    store_results(ten_schools.round, _aggregation(ten_schools), "v1")
    rows = AggregateRow.objects.filter(round=ten_schools.round)
    assert {tuple(row.histogram) for row in rows.filter(level="school")} == {()}
    city = rows.get(level="city", theme__isnull=True)
    assert len(city.histogram) == len(HIST_COLUMNS)
    assert sum(city.histogram) == city.scored == 9


def test_whole_norm_rows_have_no_theme(ten_schools):
    results = _aggregation(ten_schools)
    store_results(ten_schools.round, results, "v1")
    rows = AggregateRow.objects.filter(round=ten_schools.round)
    assert rows.filter(theme__isnull=True).count() == (results["theme_id"] == NORM).sum() > 0
    themes = set(rows.exclude(theme__isnull=True).values_list("theme_id", flat=True))
    assert themes == set(ten_schools.version.themes.values_list("id", flat=True))


def test_long_labels_are_cut_at_200_characters(ten_schools):
    results = _aggregation(ten_schools)
    wijk = results.index[(results["level"] == "wijk") & (results["theme_id"] == NORM)][0]
    results.loc[wijk, "label"] = "Wijk " + "x" * 300
    store_results(ten_schools.round, results, "v1")
    row = AggregateRow.objects.get(
        round=ten_schools.round,
        level="wijk",
        key=results.loc[wijk, "key"],
        theme__isnull=True,
    )
    assert row.label == ("Wijk " + "x" * 300)[:200]


def test_storing_again_replaces_the_rows(ten_schools):
    results = _aggregation(ten_schools)
    store_results(ten_schools.round, results, "v1")
    changed = results.copy()
    changed["invited"] += 1
    store_results(ten_schools.round, changed, "v2")
    assert _stored(ten_schools.round) == _expected(changed)
    assert ResultState.objects.get(round=ten_schools.round).data_version == "v2"


def test_the_same_version_stored_meanwhile_is_kept(ten_schools):
    results = _aggregation(ten_schools)
    store_results(ten_schools.round, results, "v1")
    changed = results.copy()
    changed["invited"] += 1
    store_results(ten_schools.round, changed, "v1")  # as if another request stored v1 first
    assert _stored(ten_schools.round) == _expected(results)


def test_duplicate_rows_raise_integrity_error_and_keep_the_old_rows(ten_schools):
    results = _aggregation(ten_schools)
    store_results(ten_schools.round, results, "v1")
    duplicated = pd.concat([results, results.iloc[[0]]], ignore_index=True)
    with pytest.raises(IntegrityError):
        store_results(ten_schools.round, duplicated, "v2")
    assert _stored(ten_schools.round) == _expected(results)
    assert ResultState.objects.get(round=ten_schools.round).data_version == "v1"


def test_an_empty_aggregation_leaves_no_rows(ten_schools):
    results = _aggregation(ten_schools)
    store_results(ten_schools.round, results, "v1")
    store_results(ten_schools.round, results.iloc[0:0], "v2")
    assert not AggregateRow.objects.filter(round=ten_schools.round).exists()
    assert ResultState.objects.get(round=ten_schools.round).data_version == "v2"


def test_a_deleted_round_takes_its_stored_rows_along(world):
    """The cache has no database foreign keys (decision 0044): Django's cascade must still run."""
    from selfscan.rounds.models import Round
    from tests.factories import make_norm_version
    from tests.scans.factories import make_round

    round_ = make_round(version=make_norm_version(), schools=[world.school_a1], opened=False)
    other = make_round(version=make_norm_version(key="ander"), schools=[world.school_a1])
    # The unopened round has no scans (a round with scans cannot be deleted): give it the
    # other round's figures.
    results = aggregate_round(other.pk, threshold=85)
    for each in (round_, other):
        store_results(each, results, "v1")
    assert AggregateRow.objects.filter(round_id=round_.pk).exists()
    kept = AggregateRow.objects.filter(round=other).count()
    Round.objects.filter(pk=round_.pk).delete()
    assert not AggregateRow.objects.filter(round_id=round_.pk).exists()
    assert not ResultState.objects.filter(round_id=round_.pk).exists()
    assert AggregateRow.objects.filter(round=other).count() == kept > 0
