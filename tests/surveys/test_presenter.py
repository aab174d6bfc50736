"""Presenter mode without a browser: one question per page, the join link and QR code, the live
JSON, the hide-until-revealed switch and the word view."""

import json

import pytest
from django.urls import reverse

from selfscan.surveys import services
from selfscan.surveys.words import word_counts, word_sizes
from tests.surveys.factories import meeting_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, world):
    client.force_login(world.user("staff"))
    return client


def answer(survey, token, **values):
    by_key = {q.key: q.pk for q in survey.questions.all()}
    services.submit_response(
        survey, submission_token=token, values={by_key[k]: v for k, v in values.items()}
    )


def test_one_question_per_page_with_join_link_qr_and_plain_links(staff_client):
    survey = meeting_survey()
    url = reverse("surveys:presenter", args=[survey.pk])
    html = staff_client.get(url).content.decode()
    assert '<h1 id="presenter-question">Voelt u zich gehoord?</h1>' in html
    assert "Vraag 1 van 5" in html
    assert survey.public_token in html and "<svg" in html
    assert f'href="{url}?vraag=2"' in html and "?vraag=0" not in html
    assert "/static/vendor/plotly/plotly.min.js" in html and "cdn" not in html.lower()
    last = staff_client.get(url, {"vraag": "5"}).content.decode()
    assert "Wat moet er beter?" in last and "?vraag=6" not in last
    # Out of range or nonsense falls back to a real question.
    assert "Vraag 5 van 5" in staff_client.get(url, {"vraag": "99"}).content.decode()
    assert "Vraag 1 van 5" in staff_client.get(url, {"vraag": "x"}).content.decode()


def test_live_json_has_the_new_counts(staff_client):
    survey = meeting_survey()
    live = reverse("surveys:presenter_live", args=[survey.pk])
    data = json.loads(staff_client.get(live, {"vraag": "1"}).content)
    assert data["count"] == 0
    answer(survey, "t" * 32, gehoord=True)
    answer(survey, "u" * 32, gehoord=True)
    data = json.loads(staff_client.get(live, {"vraag": "1"}).content)
    assert data["count"] == 2 and data["count_text"] == "2 reacties"
    assert '<td class="num" data-count="ja">2</td>' in data["html"]


def test_results_stay_hidden_until_revealed(staff_client):
    survey = meeting_survey()
    answer(survey, "t" * 32, gehoord=True)
    switch = reverse("surveys:presenter_switch", args=[survey.pk])
    live = reverse("surveys:presenter_live", args=[survey.pk])
    staff_client.post(switch, {"action": "hide", "vraag": "1"})
    for number in ("1", "2"):
        html = json.loads(staff_client.get(live, {"vraag": number}).content)["html"]
        assert "verborgen" in html and "data-count" not in html
    response = staff_client.post(switch, {"action": "reveal", "vraag": "1"})
    assert response["Location"].endswith("?vraag=1")
    assert (
        'data-count="ja">1<' in json.loads(staff_client.get(live, {"vraag": "1"}).content)["html"]
    )
    assert "verborgen" in json.loads(staff_client.get(live, {"vraag": "2"}).content)["html"]
    staff_client.post(switch, {"action": "show_all", "vraag": "2"})
    assert "verborgen" not in json.loads(staff_client.get(live, {"vraag": "2"}).content)["html"]


def test_open_answers_appear_with_a_word_view(staff_client):
    survey = meeting_survey()
    answer(survey, "t" * 32, wens="Minder papier en minder formulieren")
    answer(survey, "u" * 32, wens="Papier, papier!")
    live = reverse("surveys:presenter_live", args=[survey.pk])
    html = json.loads(staff_client.get(live, {"vraag": "5"}).content)["html"]
    assert "<li>Papier, papier!</li>" in html
    assert '<li class="w5">papier' in html


def test_word_counts_count_a_word_once_per_answer_and_skip_small_words():
    texts = ["Minder papier en minder formulieren", "Papier, papier!", "De 3 wijkteams"]
    assert word_counts(texts) == [
        ("papier", 2),
        ("formulieren", 1),
        ("minder", 1),
        ("wijkteams", 1),
    ]
    assert word_sizes([("papier", 4), ("minder", 1)]) == [("papier", 4, 5), ("minder", 1, 1)]
    assert word_counts([]) == []
