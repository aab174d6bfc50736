"""Every indicator at every level of the ten-school round equals the hand-computed value.

Per school (whole norm): sufficient / answered / n.v.t., meets at 85%:
  S1 17/20/0 yes (exactly 85%)   S2 16/19/1 no (84.2%, just below)   S3 13/13/7 yes (T03 all n.v.t.)
  S4 20/20/0 yes   S5 11/20/0 no   S6 19/20/0 yes (moved W2 -> W3 after opening: counts in W2)
  S7 18/20/0 yes   S8 7/20/0 no    S9 18/20/0 yes   S10 not submitted.
The streefniveau statement T01.07 is answered "1" everywhere and never counts.
"""

from fractions import Fraction

import pytest

from selfscan.results.aggregation import HIST_COLUMNS, aggregate_round

SHARES = {
    "S1": Fraction(17, 20),
    "S2": Fraction(16, 19),
    "S3": Fraction(13, 13),
    "S4": Fraction(20, 20),
    "S5": Fraction(11, 20),
    "S6": Fraction(19, 20),
    "S7": Fraction(18, 20),
    "S8": Fraction(7, 20),
    "S9": Fraction(18, 20),
}


def mean(*names: str) -> float:
    return float(sum(SHARES[n] for n in names) / len(names))


# level, key name -> (invited, submitted, scored, meeting, sufficient, answered, nvt, mean share,
# min, median, max, {histogram bin: count})
NORM_EXPECTED = {
    ("wijk", "W1"): (
        3,
        3,
        3,
        2,
        46,
        52,
        8,
        mean("S1", "S2", "S3"),
        float(Fraction(16, 19)),
        0.85,
        1.0,
        {16: 1, 17: 1, 19: 1},
    ),
    ("wijk", "W2"): (
        3,
        3,
        3,
        2,
        50,
        60,
        0,
        mean("S4", "S5", "S6"),
        0.55,
        0.95,
        1.0,
        {11: 1, 19: 2},
    ),
    ("wijk", "W3"): (4, 3, 3, 2, 43, 60, 0, mean("S7", "S8", "S9"), 0.35, 0.9, 0.9, {7: 1, 18: 2}),
    ("stadsdeel", "A"): (
        6,
        6,
        6,
        4,
        96,
        112,
        8,
        mean("S1", "S2", "S3", "S4", "S5", "S6"),
        0.55,
        float((Fraction(17, 20) + Fraction(19, 20)) / 2),
        1.0,
        {11: 1, 16: 1, 17: 1, 19: 3},
    ),
    ("stadsdeel", "B"): (
        4,
        3,
        3,
        2,
        43,
        60,
        0,
        mean("S7", "S8", "S9"),
        0.35,
        0.9,
        0.9,
        {7: 1, 18: 2},
    ),
    ("bestuur", "B1"): (
        5,
        5,
        5,
        4,
        89,
        99,
        1,
        mean("S1", "S2", "S4", "S7", "S9"),
        float(Fraction(16, 19)),
        0.9,
        1.0,
        {16: 1, 17: 1, 18: 2, 19: 1},
    ),
    ("bestuur", "B2"): (
        5,
        4,
        4,
        2,
        50,
        73,
        7,
        mean("S3", "S5", "S6", "S8"),
        0.35,
        0.75,
        1.0,
        {7: 1, 11: 1, 19: 2},
    ),
    ("sector", "PO"): (
        10,
        9,
        9,
        6,
        139,
        172,
        8,
        mean(*SHARES),
        0.35,
        0.9,
        1.0,
        {7: 1, 11: 1, 16: 1, 17: 1, 18: 2, 19: 3},
    ),
    ("city", "stad"): (
        10,
        9,
        9,
        6,
        139,
        172,
        8,
        mean(*SHARES),
        0.35,
        0.9,
        1.0,
        {7: 1, 11: 1, 16: 1, 17: 1, 18: 2, 19: 3},
    ),
}

# Theme rows: (scored, meeting, sufficient, answered, nvt)
THEME_EXPECTED = {
    ("city", "stad", "T01"): (9, 6, 46, 54, 0),
    ("city", "stad", "T02"): (9, 5, 51, 63, 0),
    ("city", "stad", "T03"): (8, 4, 42, 55, 8),
    ("wijk", "W1", "T03"): (2, 1, 11, 13, 8),
    ("wijk", "W2", "T02"): (3, 2, 17, 21, 0),
    ("bestuur", "B2", "T03"): (3, 1, 13, 21, 7),
    ("school", "S3", "T03"): (0, 0, 0, 0, 7),
    ("school", "S1", "T03"): (1, 1, 6, 7, 0),
    ("school", "S2", "T03"): (1, 0, 5, 6, 1),
}


def _key(ten, level, name):
    lookup = {
        "wijk": lambda: ten.wijken[name].pk,
        "stadsdeel": lambda: ten.stadsdelen[name].pk,
        "bestuur": lambda: ten.besturen[name].pk,
        "school": lambda: ten.schools[name].pk,
        "sector": lambda: name,
        "city": lambda: name,
    }
    return str(lookup[level]())


def _row(results, level, key, theme_id=0):
    rows = results[(results.level == level) & (results.key == key) & (results.theme_id == theme_id)]
    assert len(rows) == 1, (level, key, theme_id)
    return rows.iloc[0]


@pytest.mark.parametrize(("level", "name"), list(NORM_EXPECTED))
def test_norm_indicators_equal_hand_computed_values(ten_schools, level, name):
    results = aggregate_round(ten_schools.round.pk, threshold=85)
    row = _row(results, level, _key(ten_schools, level, name))
    (
        invited,
        submitted,
        scored,
        meeting,
        sufficient,
        answered,
        nvt,
        mean_share,
        low,
        median,
        high,
        hist,
    ) = NORM_EXPECTED[(level, name)]
    assert (row.invited, row.submitted, row.scored, row.meeting) == (
        invited,
        submitted,
        scored,
        meeting,
    )
    assert (row.sufficient, row.answered, row.nvt) == (sufficient, answered, nvt)
    assert row.mean_share == pytest.approx(mean_share)
    assert (row.min_share, row.median_share, row.max_share) == pytest.approx((low, median, high))
    assert {i: int(row[c]) for i, c in enumerate(HIST_COLUMNS) if row[c]} == hist


def test_school_rows_match_hand_computed_scores(ten_schools):
    results = aggregate_round(ten_schools.round.pk, threshold=85)
    expected_meets = {
        "S1": 1,
        "S2": 0,
        "S3": 1,
        "S4": 1,
        "S5": 0,
        "S6": 1,
        "S7": 1,
        "S8": 0,
        "S9": 1,
    }
    for name, share in SHARES.items():
        row = _row(results, "school", _key(ten_schools, "school", name))
        assert Fraction(int(row.sufficient), int(row.answered)) == share, name
        assert row.meeting == expected_meets[name], name
    s10 = _row(results, "school", _key(ten_schools, "school", "S10"))
    assert (s10.invited, s10.submitted, s10.scored, s10.sufficient) == (1, 0, 0, 0)


@pytest.mark.parametrize(("level", "name", "theme"), list(THEME_EXPECTED))
def test_theme_indicators_equal_hand_computed_values(ten_schools, level, name, theme):
    results = aggregate_round(ten_schools.round.pk, threshold=85)
    theme_id = ten_schools.version.themes.get(code=theme).pk
    row = _row(results, level, _key(ten_schools, level, name), theme_id)
    assert (row.scored, row.meeting, row.sufficient, row.answered, row.nvt) == THEME_EXPECTED[
        (level, name, theme)
    ]


def test_theme_with_only_nvt_has_no_share(ten_schools):
    results = aggregate_round(ten_schools.round.pk, threshold=85)
    theme_id = ten_schools.version.themes.get(code="T03").pk
    row = _row(results, "school", _key(ten_schools, "school", "S3"), theme_id)
    assert row.mean_share != row.mean_share  # NaN: "n.v.t.", neither 0 nor 1


def test_groups_follow_the_snapshot_not_todays_register(ten_schools):
    results = aggregate_round(ten_schools.round.pk, threshold=85)
    w3 = _row(results, "wijk", _key(ten_schools, "wijk", "W3"))
    assert w3.invited == 4  # S7, S8, S9, S10: not S6, which is in W3 today
