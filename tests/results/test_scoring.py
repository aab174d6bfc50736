"""Scoring rules as plain functions, with hand-computed cases and hypothesis properties."""

import math
import statistics

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from selfscan.results.aggregation import ShareCounts, add_school_scores, rollup
from selfscan.results.scoring import (
    NVT,
    StatementInfo,
    Tally,
    is_weak,
    meets_threshold,
    score_scan,
    tally_values,
)

SUFFICIENT = frozenset({"3", "4"})
VALUES = st.sampled_from(["1", "2", "3", "4", NVT])


def _statements(n: int, theme_size: int = 5) -> list[StatementInfo]:
    return [StatementInfo(id=i, theme_id=i // theme_size) for i in range(n)]


def test_exactly_85_percent_meets_the_norm():
    answers = {i: ("3" if i < 17 else "1") for i in range(20)}
    score = score_scan(answers, _statements(20), SUFFICIENT, threshold=85)
    assert score.norm == Tally(17, 20, 0)
    assert score.meets is True


def test_just_below_85_percent_does_not_meet():
    answers = {i: ("3" if i < 16 else "1") for i in range(19)} | {19: NVT}
    score = score_scan(answers, _statements(20), SUFFICIENT, threshold=85)
    assert score.norm == Tally(16, 19, 1)
    assert score.meets is False


def test_statement_that_does_not_count_is_left_out():
    statements = [*_statements(20), StatementInfo(id=99, theme_id=0, counts_for_norm=False)]
    answers = {i: ("3" if i < 17 else "1") for i in range(20)} | {99: "1"}
    assert score_scan(answers, statements, SUFFICIENT).meets is True


def test_theme_with_only_nvt_is_nvt_not_zero_or_hundred():
    answers = dict.fromkeys(range(5), NVT) | dict.fromkeys(range(5, 10), "3")
    score = score_scan(answers, _statements(10), SUFFICIENT)
    assert score.themes[0] == Tally(0, 0, 5)
    assert score.themes[0].share is None
    assert score.theme_meets(0) is None
    assert score.themes[1].share == 1.0


def test_nvt_review_flag_above_the_share_only():
    # 20 applicable statements: 4 n.v.t. is exactly 20% (no flag), 5 is more (flag).
    four = {i: (NVT if i < 4 else "3") for i in range(20)}
    five = {i: (NVT if i < 5 else "3") for i in range(20)}
    assert score_scan(four, _statements(20), SUFFICIENT).needs_nvt_review is False
    assert score_scan(five, _statements(20), SUFFICIENT).needs_nvt_review is True
    assert score_scan(four, _statements(20), SUFFICIENT, nvt_review_percent=15).needs_nvt_review


def test_unanswered_and_weak():
    assert tally_values(["", "3", "2", NVT], SUFFICIENT) == Tally(1, 2, 1)
    assert is_weak("1", SUFFICIENT) and is_weak("2", SUFFICIENT)
    assert (
        not is_weak("3", SUFFICIENT)
        and not is_weak(NVT, SUFFICIENT)
        and not is_weak("", SUFFICIENT)
    )


@given(st.lists(VALUES, min_size=1, max_size=40), st.integers(0, 10))
def test_nvt_answers_never_change_the_share(values, extra_nvt):
    base = score_scan(dict(enumerate(values)), _statements(len(values)), SUFFICIENT)
    padded = values + [NVT] * extra_nvt
    more = score_scan(dict(enumerate(padded)), _statements(len(padded)), SUFFICIENT)
    assert more.share == base.share
    assert more.meets == base.meets


@given(st.lists(VALUES, min_size=1, max_size=40), st.data())
def test_changing_an_answer_to_sufficient_never_lowers_the_share(values, data):
    index = data.draw(st.integers(0, len(values) - 1))
    new = data.draw(st.sampled_from(["3", "4"]))
    before = score_scan(dict(enumerate(values)), _statements(len(values)), SUFFICIENT)
    changed = [*values]
    changed[index] = new
    after = score_scan(dict(enumerate(changed)), _statements(len(values)), SUFFICIENT)
    assert after.share is not None
    assert before.share is None or after.share >= before.share
    assert not (before.meets and not after.meets)


school_tallies = st.lists(
    st.tuples(st.integers(0, 70), st.integers(0, 70)).map(lambda t: (min(t), max(t))),
    min_size=1,
    max_size=30,
)


@given(school_tallies, st.integers(0, 100), st.integers(0, 100))
def test_raising_the_threshold_never_increases_schools_meeting(tallies, low, high):
    low, high = min(low, high), max(low, high)

    def meeting(threshold: int) -> int:
        return sum(bool(Tally(s, a).meets(threshold)) for s, a in tallies)

    assert meeting(high) <= meeting(low)


def _school_frame(tallies: list[tuple[int, int]], threshold: int = 85) -> pd.DataFrame:
    n = len(tallies)
    frame = pd.DataFrame(
        {
            "scan_id": range(n),
            "school_id": range(n),
            "school_name": [f"S{i}" for i in range(n)],
            "wijk_id": [1] * n,
            "wijk_name": ["W"] * n,
            "stadsdeel_id": [1] * n,
            "stadsdeel_name": ["D"] * n,
            "bestuur_id": [i % 2 for i in range(n)],
            "bestuur_name": ["B"] * n,
            "sector": ["PO"] * n,
            "theme_id": [0] * n,
            "sufficient": [s for s, _ in tallies],
            "answered": [a for _, a in tallies],
            "nvt": [0] * n,
            "is_submitted": [1] * n,
        }
    )
    return add_school_scores(frame, threshold)


@given(school_tallies.filter(lambda ts: any(a > 0 for _, a in ts)))
def test_pooled_share_lies_between_lowest_and_highest_school_share(tallies):
    city = rollup(_school_frame(tallies), "city").iloc[0]
    pooled = city.sufficient / city.answered
    assert city.min_share - 1e-12 <= pooled <= city.max_share + 1e-12
    shares = [s / a for s, a in tallies if a > 0]
    assert city.min_share == min(shares) and city.max_share == max(shares)


@given(school_tallies, st.integers(0, 100), st.integers(0, 100))
def test_raising_the_threshold_never_increases_meeting_in_aggregation(tallies, low, high):
    low, high = min(low, high), max(low, high)
    at_low = rollup(_school_frame(tallies, low), "city").iloc[0].meeting
    at_high = rollup(_school_frame(tallies, high), "city").iloc[0].meeting
    assert at_high <= at_low


@given(school_tallies, st.integers(0, 100))
def test_vectorised_meets_agrees_with_scalar_scoring(tallies, threshold):
    frame = pd.DataFrame(
        {
            "sufficient": [s for s, _ in tallies],
            "answered": [a for _, a in tallies],
            "is_submitted": [1] * len(tallies),
        }
    )
    scored = add_school_scores(frame, threshold)
    expected = [bool(Tally(s, a).meets(threshold)) for s, a in tallies]
    assert scored["meeting"].astype(bool).tolist() == expected
    shares = [Tally(s, a).share for s, a in tallies]
    got = scored["share"].tolist()
    for share, value in zip(shares, got, strict=True):
        assert (share is None and np.isnan(value)) or share == value


def test_meets_threshold_on_arrays_and_ints_is_the_same_rule():
    assert meets_threshold(17, 20, 85) is True
    assert meets_threshold(np.array([17, 16]), np.array([20, 19]), 85).tolist() == [True, False]


def _columns(rows: list[tuple[int, ...]], width: int) -> list[np.ndarray]:
    return [np.array([row[i] for row in rows], dtype="int64") for i in range(width)]


@given(
    st.lists(st.tuples(st.integers(0, 2), st.integers(1, 8), st.integers(0, 8)), max_size=40),
    st.lists(st.integers(0, 39), max_size=10),
)
def test_share_counts_give_the_figures_of_the_school_shares(entries, leave_out):
    """A group's share figures from its `ShareCounts` are those of its schools' shares, and
    the counts after taking schools away (weight -1) are those of the schools that remain."""
    schools = [(group, min(s, a), a) for group, a, s in entries]  # (group, sufficient, answered)
    groups = np.arange(3)
    counts = ShareCounts.tally(*_columns(schools, 3))
    figures = counts.figures(3, groups)
    for g in range(3):
        shares = sorted(s / a for k, s, a in schools if k == g)
        if not shares:
            assert np.isnan(figures["median_share"][g]) and figures["share_counts"][g] == "[]"
            continue
        assert figures["min_share"][g] == shares[0] and figures["max_share"][g] == shares[-1]
        assert figures["median_share"][g] == statistics.median(shares)
        assert math.isclose(figures["mean_share"][g], sum(shares) / len(shares), rel_tol=1e-12)
        bins = [min(19, 20 * s // a) for k, s, a in schools if k == g]
        assert [figures[f"h{i}"][g] for i in range(20)] == [bins.count(i) for i in range(20)]
    gone = {i for i in leave_out if i < len(schools)}
    kept = [school for i, school in enumerate(schools) if i not in gone]
    both = [(*school, 1) for school in schools] + [(*schools[i], -1) for i in sorted(gone)]
    group, sufficient, answered, weights = _columns(both, 4)
    after = ShareCounts.tally(group, sufficient, answered, weights=weights)
    assert after.texts(groups) == ShareCounts.tally(*_columns(kept, 3)).texts(groups)
    assert ShareCounts.from_texts(after.texts(groups)).texts(groups) == after.texts(groups)
