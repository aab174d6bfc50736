"""Acceptance: 101 responses posted through the public form (real HTTP posts through the Django
test client), checked against figures worked out by hand below."""

import secrets

import pytest
from django.test import Client
from django.urls import reverse

from selfscan.surveys import selectors, services
from selfscan.surveys.models import Response
from tests.surveys.factories import meeting_survey

N = 101


def answers_of(i: int) -> dict[str, str]:
    """Respondent i (0..100). Blocks make the hand-computed figures easy to check."""
    data: dict[str, str] = {}
    # gehoord: 0-85 ja (86), 86-94 nee (9), 95-100 blank (6)
    if i < 86:
        data["q_gehoord"] = "ja"
    elif i < 95:
        data["q_gehoord"] = "nee"
    # campus: 0-68 ja (69), 69-98 nee (30), 99-100 blank (2)
    if i < 69:
        data["q_campus"] = "ja"
    elif i < 99:
        data["q_campus"] = "nee"
    # droom (1-5): 0-39 → 5 (40), 40-69 → 4 (30), 70-89 → 3 (20), 90-99 → 2 (10), 100 blank
    for upper, grade in ((40, "5"), (70, "4"), (90, "3"), (100, "2")):
        if i < upper:
            data["q_droom"] = grade
            break
    # haalbaarheid (1-10): 0-29 → 5 (30), 30-59 → 7 (30), 60-79 → 8 (20), 80-89 → 3 (10),
    # 90 → 10 (1), 91-100 blank (10)
    for upper, grade in ((30, "5"), (60, "7"), (80, "8"), (90, "3"), (91, "10")):
        if i < upper:
            data["q_haalbaarheid"] = grade
            break
    # wens: 0-11 "Minder papier", 12-19 "Partners verbinden", the rest blank (81)
    if i < 12:
        data["q_wens"] = "Minder papier"
    elif i < 20:
        data["q_wens"] = "Partners verbinden"
    return data


@pytest.fixture
def answered(db):
    survey = meeting_survey()
    url = reverse("surveys:answer", args=[survey.public_token])
    for i in range(N):
        client = Client()  # a new browser for each respondent (the cookie allows one each)
        assert client.get(url).status_code == 200
        response = client.post(
            url, {**answers_of(i), "submission_token": secrets.token_urlsafe(24)}
        )
        assert response.status_code == 302, response.content.decode()[:500]
        assert response["Location"] == reverse("surveys:thanks", args=[survey.public_token])
    return survey


def by_key(report):
    return {q.spec.key: q for q in report.questions}


def counts(question):
    return {c.label: (c.count, round(c.percent, 2)) for c in question.counts}


def test_101_responses_are_stored(answered):
    assert Response.objects.filter(survey=answered).count() == 101


def test_yes_no_counts_and_percentages_include_blanks(answered):
    report = by_key(selectors.survey_summary(answered))
    # 86/101 = 85.148..%, 9/101 = 8.910..%, 6/101 = 5.940..%
    assert counts(report["gehoord"]) == {
        "ja": (86, 85.15),
        "nee": (9, 8.91),
        "blanco": (6, 5.94),
    }
    # 69/101 = 68.316..%, 30/101 = 29.702..%, 2/101 = 1.980..%
    assert counts(report["campus"]) == {"ja": (69, 68.32), "nee": (30, 29.70), "blanco": (2, 1.98)}
    assert report["gehoord"].blanks == 6


def test_grade_one_to_five_mean_median_mode(answered):
    stats = by_key(selectors.survey_summary(answered))["droom"].stats
    # 40×5 + 30×4 + 20×3 + 10×2 = 200 + 120 + 60 + 20 = 400 over 100 answers
    assert stats.answered == 100
    assert stats.mean == pytest.approx(4.0)
    # sorted: 2 (1-10), 3 (11-30), 4 (31-60), 5 (61-100); the 50th and 51st are both 4
    assert stats.median == 4
    assert stats.modes == (5,)
    assert (stats.minimum, stats.maximum) == (2, 5)
    assert [(c.label, c.count) for c in stats.values] == [
        ("1", 0),
        ("2", 10),
        ("3", 20),
        ("4", 30),
        ("5", 40),
    ]


def test_grade_one_to_ten_tied_modes_and_bins(answered):
    question = by_key(selectors.survey_summary(answered))["haalbaarheid"]
    stats = question.stats
    # 30×5 + 30×7 + 20×8 + 10×3 + 1×10 = 150 + 210 + 160 + 30 + 10 = 560 over 91 answers
    assert stats.answered == 91
    assert question.blanks == 10
    assert stats.mean == pytest.approx(560 / 91)
    assert round(stats.mean, 2) == 6.15
    # sorted: 3 (1-10), 5 (11-40), 7 (41-70), 8 (71-90), 10 (91); the 46th is 7
    assert stats.median == 7
    assert stats.modes == (5, 7)  # 30 each: both reported
    assert (stats.minimum, stats.maximum) == (3, 10)
    # < 6: the 3s and 5s (40); 6–8: the 7s (30); 8 of hoger: the 8s and the 10 (21)
    assert [(c.label, c.count, round(c.percent, 1)) for c in stats.bins] == [
        ("< 6", 40, 39.6),
        ("6–8", 30, 29.7),
        ("8 of hoger", 21, 20.8),
    ]


def test_open_answers_and_their_coding(answered, world):
    question = answered.questions.get(key="wens")
    staff = world.user("staff")
    paper = services.create_category(question, by=staff, name="Minder administratieve last")
    partners = services.create_category(question, by=staff, name="Partners verbinden")
    coding = {}
    for answer in question.answers.exclude(value__isnull=True):
        target = paper if answer.value == "Minder papier" else partners
        coding[answer.pk] = ([target.pk], False)
    services.code_answers(question, by=staff, coding=coding)
    report = by_key(selectors.survey_summary(answered))["wens"]
    assert (report.answered, report.blanks) == (20, 81)
    assert [(c.label, c.count) for c in report.categories] == [
        ("Minder administratieve last", 12),
        ("Partners verbinden", 8),
    ]
    assert report.unique_remarks == 0
    assert report.uncoded == 0


def test_summary_page_shows_the_figures_in_dutch(answered, client, world):
    client.force_login(world.user("staff"))
    html = client.get(reverse("surveys:summary", args=[answered.pk])).content.decode()
    assert "86× ja, 9× nee, 6× blanco" in html
    assert "69× ja, 30× nee, 2× blanco" in html
    assert "6,15" in html  # mean of haalbaarheid, decimal comma
    assert "85,1%" in html
    assert "5; 7" in html  # both modes
    assert '<strong id="response-count">101</strong>' in html


def test_single_response_with_an_all_blank_question_through_the_form(client, world):
    survey = meeting_survey()
    url = reverse("surveys:answer", args=[survey.public_token])
    data = {"submission_token": secrets.token_urlsafe(24), "q_gehoord": "nee", "q_droom": "3"}
    assert client.post(url, data).status_code == 302
    report = by_key(selectors.survey_summary(survey))
    assert counts(report["gehoord"]) == {"ja": (0, 0.0), "nee": (1, 100.0), "blanco": (0, 0.0)}
    assert counts(report["campus"]) == {"ja": (0, 0.0), "nee": (0, 0.0), "blanco": (1, 100.0)}
    droom = report["droom"].stats
    assert (droom.mean, droom.median, droom.modes, droom.minimum, droom.maximum) == (
        3,
        3,
        (3,),
        3,
        3,
    )
    haalbaarheid = report["haalbaarheid"]
    assert haalbaarheid.blanks == 1 and haalbaarheid.stats.mean is None
    assert [c.count for c in haalbaarheid.stats.bins] == [0, 0, 0]
    client.force_login(world.user("staff"))
    html = client.get(reverse("surveys:summary", args=[survey.pk])).content.decode()
    assert "0× ja, 1× nee, 0× blanco" in html
    assert "0× ja, 0× nee, 1× blanco" in html
    assert "0× beantwoord, 1× blanco" in html
