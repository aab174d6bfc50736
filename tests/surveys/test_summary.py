"""The summary's plain functions: ties, blanks, a single response, choices, bins, formatting."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfscan.surveys import summary as s

GRADE = s.QuestionSpec(
    key="cijfer",
    text="Cijfer",
    kind=s.GRADE,
    scale_min=1,
    scale_max=5,
    bins=(s.Bin("laag", below=3), s.Bin("hoog", at_least=3)),
)


def test_all_modes_are_reported_when_tied():
    # satisfaction as in the partnership's report: most frequent 3 and 4, lowest 3
    result = s.summarise_question(GRADE, [3, 4, 3, 4, 5, None])
    assert result.stats.modes == (3, 4)
    assert result.stats.minimum == 3
    assert result.stats.mean == pytest.approx(19 / 5)
    assert result.blanks == 1


def test_three_way_tie_lists_three_modes():
    assert s.summarise_question(GRADE, [1, 2, 5]).stats.modes == (1, 2, 5)


def test_all_blank_question_has_no_statistics_but_counts_blanks():
    result = s.summarise_question(GRADE, [None, None, None])
    assert (result.answered, result.blanks) == (0, 3)
    assert result.blank_percent == 100.0
    stats = result.stats
    assert (stats.mean, stats.median, stats.modes, stats.minimum, stats.maximum) == (
        None,
        None,
        (),
        None,
        None,
    )
    assert [c.count for c in stats.bins] == [0, 0]


def test_all_blank_yes_no():
    spec = s.QuestionSpec("jn", "Ja/nee", s.YES_NO)
    result = s.summarise_question(spec, [None, None])
    assert [(c.label, c.count, c.percent) for c in result.counts] == [
        ("ja", 0, 0.0),
        ("nee", 0, 0.0),
        ("blanco", 2, 100.0),
    ]


def test_single_response_survey():
    specs = [
        GRADE,
        s.QuestionSpec("jn", "Ja/nee", s.YES_NO),
        s.QuestionSpec("open", "Open", s.SHORT_TEXT),
    ]
    report = s.summarise(specs, [{"cijfer": 4, "jn": False, "open": "Goed zo"}])
    assert report.respondents == 1
    grade, yes_no, text = report.questions
    assert (grade.stats.mean, grade.stats.median, grade.stats.modes) == (4, 4, (4,))
    assert [(c.label, c.percent) for c in yes_no.counts] == [
        ("ja", 0.0),
        ("nee", 100.0),
        ("blanco", 0.0),
    ]
    assert [a.text for a in text.answers] == ["Goed zo"]


def test_empty_survey_has_zero_percentages():
    report = s.summarise([GRADE], [])
    assert report.respondents == 0
    assert report.questions[0].blank_percent == 0.0


def test_multiple_choice_shares_are_of_respondents():
    spec = s.QuestionSpec("thema", "Thema", s.MULTIPLE, options=("A", "B", "C"))
    result = s.summarise_question(spec, [["A", "B"], ["A"], None, ["C", "A"]])
    assert [(c.label, c.count, c.percent) for c in result.counts] == [
        ("A", 3, 75.0),
        ("B", 1, 25.0),
        ("C", 1, 25.0),
        ("blanco", 1, 25.0),
    ]


def test_single_choice_counts_every_option_even_unused():
    spec = s.QuestionSpec("rol", "Rol", s.SINGLE, options=("Leraar", "Ouder"))
    result = s.summarise_question(spec, ["Ouder", "Ouder", None])
    assert [(c.label, c.count) for c in result.counts] == [
        ("Leraar", 0),
        ("Ouder", 2),
        ("blanco", 1),
    ]


def test_bin_bounds_are_inclusive_below_exclusive_above():
    spec = s.QuestionSpec(
        "c",
        "C",
        s.GRADE,
        scale_min=1,
        scale_max=10,
        bins=(s.Bin("< 6", below=6), s.Bin("6–8", 6, 8), s.Bin("8 of hoger", at_least=8)),
    )
    result = s.summarise_question(spec, [5, 6, 7, 8, 10])
    assert [c.count for c in result.stats.bins] == [1, 2, 2]


def test_numbers_with_decimals():
    spec = s.QuestionSpec("uren", "Uren", s.NUMBER)
    result = s.summarise_question(spec, [1.5, 2, 2, None])
    assert result.stats.mean == pytest.approx(5.5 / 3)
    assert result.stats.median == 2
    assert [(c.value, c.count) for c in result.stats.values] == [(1.5, 1), (2, 2)]


def test_categories_largest_first_and_unique_remarks():
    spec = s.QuestionSpec("open", "Open", s.LONG_TEXT)
    answers = [
        s.CodedAnswer("a", ("Partners",)),
        s.CodedAnswer("b", ("Minder last", "Partners")),
        s.CodedAnswer("c", ("Minder last",)),
        s.CodedAnswer("d", ("Minder last",)),
        s.CodedAnswer("e", (), unique_remark=True),
        s.CodedAnswer("f"),
        None,
    ]
    result = s.summarise_question(spec, answers)
    assert [(c.label, c.count) for c in result.categories] == [("Minder last", 3), ("Partners", 2)]
    assert (result.unique_remarks, result.uncoded, result.blanks) == (1, 1, 1)


def test_count_line_reads_like_the_report():
    spec = s.QuestionSpec("jn", "Ja/nee", s.YES_NO)
    result = s.summarise_question(spec, [False] * 9 + [None] * 2)
    assert s.count_line(result.counts) == "0× ja, 9× nee, 2× blanco"


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (3.64, None, "3,64"),
        (3, None, "3"),
        (4.4999, 1, "4,5"),
        (12345.5, 1, "12.345,5"),
        (-2.25, 1, "-2,3"),
        (None, None, "–"),
    ],
)
def test_dutch_number_format(value, decimals, text):
    assert s.nl_number(value, decimals) == text


@given(st.lists(st.one_of(st.none(), st.integers(1, 10)), max_size=60))
def test_counts_and_blanks_always_add_up(values):
    spec = s.QuestionSpec(
        "c", "C", s.GRADE, scale_min=1, scale_max=10, bins=(s.Bin("l", below=6), s.Bin("h", 6))
    )
    result = s.summarise_question(spec, values)
    assert result.answered + result.blanks == len(values)
    assert result.stats is not None
    assert sum(c.count for c in result.stats.bins) == result.answered
    assert sum(c.count for c in result.stats.values) == result.answered
    stats = result.stats
    assert stats is not None
    if result.answered:
        low, high, mean = stats.minimum, stats.maximum, stats.mean
        assert low is not None and high is not None and mean is not None
        assert low <= mean <= high
        assert all(low <= m <= high for m in stats.modes)


@pytest.mark.parametrize(
    ("value", "arg", "nl", "en"),
    [
        (3.5, None, "3,5", "3.5"),
        (3.64, None, "3,64", "3.64"),
        (4, None, "4", "4"),
        (4, 2, "4,00", "4.00"),
    ],
)
def test_template_number_filter_follows_the_language(value, arg, nl, en):
    from django.utils import translation

    from selfscan.surveys.templatetags.survey_tags import num, pct

    with translation.override("nl"):
        assert num(value, arg) == nl
        assert pct(85.148) == "85,1%"
    with translation.override("en"):
        assert num(value, arg) == en
        assert pct(85.148) == "85.1%"
