"""The plain rules of team perspectives: counts, disagreement, median, the theme indicator."""

from hypothesis import given
from hypothesis import strategies as st

from selfscan.norms.models import NVT_CODE
from selfscan.perspectives.rules import Level, disagreement_share, functions, spread

LEVELS = [
    Level("1", "Onvoldoende", False),
    Level("2", "Matig", False),
    Level("3", "Voldoende", True),
    Level("4", "Goed", True),
]


def test_counts_per_level_and_nvt_ignore_empty_answers():
    result = spread(["1", "3", "3", NVT_CODE, ""], LEVELS)
    assert result.counts == {"1": 1, "2": 0, "3": 2, "4": 0, NVT_CODE: 1}
    assert result.answered == 4


def test_two_levels_apart_is_disagreement():
    result = spread(["3", "1"], LEVELS)
    assert result.disagreement
    assert "range" in result.reasons


def test_answers_on_both_sides_of_voldoende_are_disagreement():
    result = spread(["2", "3", "3"], LEVELS)
    assert result.disagreement
    assert result.reasons == ("line",)


def test_neighbouring_levels_on_one_side_agree():
    assert not spread(["3", "4", "4"], LEVELS).disagreement
    assert not spread(["1", "2"], LEVELS).disagreement


def test_nvt_takes_no_part_in_disagreement():
    assert not spread(["3", NVT_CODE, NVT_CODE], LEVELS).disagreement


def test_median_of_an_odd_count_is_the_middle_answer():
    assert spread(["4", "1", "3"], LEVELS).median == "3"


def test_median_of_an_even_count_is_the_lower_middle():
    assert spread(["4", "2", "3", "1"], LEVELS).median == "2"
    assert spread(["4", "3"], LEVELS).median == "3"


def test_median_without_levels_is_nvt_or_empty():
    assert spread([NVT_CODE, ""], LEVELS).median == NVT_CODE
    assert spread(["", ""], LEVELS).median == ""


def test_share_counts_only_statements_rated_by_two_or_more():
    spreads = [
        spread(["1", "3"], LEVELS),  # disagreement
        spread(["3", "3"], LEVELS),  # agreement
        spread(["2"], LEVELS),  # one rating: left out
        spread([NVT_CODE, NVT_CODE], LEVELS),  # no rating: left out
    ]
    assert disagreement_share(spreads) == (1, 2)


def test_default_functions_are_the_four_of_the_issue():
    assert [code for code, _label in functions()] == ["directie", "ib", "leerkracht", "overig"]


def test_functions_follow_the_setting(settings):
    settings.TEAM_FUNCTIONS = [("zorg", "Zorgcoördinator"), ("directie", "Directie")]
    assert [code for code, _label in functions()] == ["zorg", "directie"]


@given(st.lists(st.sampled_from(["1", "2", "3", "4", NVT_CODE, ""]), max_size=12))
def test_median_is_one_of_the_answers_and_disagreement_follows_the_rule(values):
    result = spread(values, LEVELS)
    rated = sorted(int(v) for v in values if v in {"1", "2", "3", "4"})
    if rated:
        assert result.median in values
        below = sum(1 for v in rated if v <= int(result.median))
        assert below >= len(rated) / 2
        crosses = rated[0] <= 2 < rated[-1]
        assert result.disagreement == (rated[-1] - rated[0] >= 2 or crosses)
    else:
        assert not result.disagreement
