"""What it takes to reach the threshold, and guidance that fits the score (results/explain.py)."""

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from selfscan.results.explain import guidance_for, sufficient_needed, threshold_rule
from selfscan.results.scoring import Tally


@pytest.mark.parametrize(
    ("answered", "threshold", "needed"),
    [
        (4, 85, 4),  # 3/4 = 75%
        (5, 85, 5),  # 4/5 = 80%
        (6, 85, 6),  # 5/6 = 83.3%
        (7, 85, 6),  # 6/7 = 85.7%
        (20, 85, 17),  # exactly 85% meets
        (7, 80, 6),  # 5/7 = 71.4%, 6/7 = 85.7%
        (5, 80, 4),  # exactly 80%
        (10, 90, 9),
        (1, 85, 1),
        (0, 85, 0),
        (6, 50, 3),
        (3, 100, 3),
    ],
)
def test_sufficient_needed_by_hand(answered, threshold, needed):
    assert sufficient_needed(answered, threshold) == needed


@given(st.integers(min_value=1, max_value=200), st.integers(min_value=0, max_value=100))
def test_sufficient_needed_is_the_scoring_rule_boundary(answered, threshold):
    needed = sufficient_needed(answered, threshold)
    assert Tally(needed, answered).meets(threshold) is True
    if needed > 0:
        assert Tally(needed - 1, answered).meets(threshold) is False


def test_rule_with_five_statements_needs_all_five():
    with translation.override("nl"):
        text = threshold_rule(5, 85)
    assert text.startswith("Met 5 stellingen: alle 5 voldoende of hoger.")
    assert "Eén stelling met matig of onvoldoende" in text


def test_rule_with_seven_statements_allows_one_below():
    with translation.override("nl"):
        text = threshold_rule(7, 85)
    assert text == (
        "Met 7 stellingen: ten minste 6 van de 7 voldoende of hoger "
        "(hoogstens 1 stelling matig of onvoldoende)."
    )
    with translation.override("nl"):
        assert "hoogstens 3 stellingen" in threshold_rule(20, 85)


def test_rule_in_english():
    with translation.override("en"):
        assert threshold_rule(5, 85).startswith("With 5 statements: all 5 sufficient or better.")
        assert threshold_rule(7, 85).startswith(
            "With 7 statements: at least 6 of the 7 sufficient or better"
        )


def test_rule_for_a_single_statement_and_for_none():
    with translation.override("nl"):
        assert threshold_rule(1, 85) == "Met 1 stelling: die stelling voldoende of hoger."
        assert "geen stellingen" in threshold_rule(0, 85)


GUIDANCE = "Scoort uw school hier laag? Begin met het profiel.\n\nTweede alinea."


def test_guidance_keeps_the_question_only_below_the_threshold():
    assert guidance_for(GUIDANCE, below_threshold=True) == GUIDANCE
    assert guidance_for(GUIDANCE, below_threshold=False) == (
        "Begin met het profiel.\n\nTweede alinea."
    )
    assert guidance_for("Andere tekst.", below_threshold=False) == "Andere tekst."
    assert guidance_for("", below_threshold=False) == ""
