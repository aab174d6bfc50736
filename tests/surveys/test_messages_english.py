"""Survey messages follow the user's language: Dutch is the source, English users read English."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from selfscan.surveys.services import (
    SurveyError,
    create_category,
    load_survey_file,
    submit_response,
)
from tests.surveys.factories import add_question, make_survey

pytestmark = pytest.mark.django_db

BAD_FILE = b"""survey:
  title: Test
questions:
  - key: keuze
    text: Kies
    type: single_choice
    options: [Een]
  - key: keuze
    text: Nog eens
    type: grade
    min: 1
    max: 10
    bins:
      - {label: laag}
"""


def _messages(language: str) -> list[str]:
    with override(language):
        result = load_survey_file(BAD_FILE, filename="bad.yaml")
        return [str(error) for error in result.errors]


def test_definition_file_errors_are_english_for_an_english_user():
    messages = _messages("en")
    joined = "\n".join(messages)
    assert "a choice question has at least two options" in joined
    assert "the key 'keuze' occurs twice" in joined
    assert "class 'laag' has no bound (at_least or below)" in joined
    assert "bad.yaml, line 8" in joined
    assert "keuzevraag" not in joined and "dubbel" not in joined


def test_definition_file_errors_stay_dutch_for_a_dutch_user():
    joined = "\n".join(_messages("nl"))
    assert "een keuzevraag heeft minstens twee opties" in joined
    assert "de sleutel 'keuze' komt dubbel voor" in joined


def test_a_closed_survey_refuses_a_response_in_english():
    survey = make_survey(closes_at=timezone.now() - timezone.timedelta(days=1))
    with override("en"), pytest.raises(SurveyError) as caught:
        submit_response(survey, submission_token="t" * 32, values={})
    assert str(caught.value) == "This survey is closed; your answers have not been saved."


def test_a_duplicate_category_is_refused_in_english_with_its_name(world):
    survey = make_survey()
    question = add_question(survey, "open", "long_text")
    create_category(question, by=world.users["staff"], name="Huisvesting")
    with override("en"), pytest.raises(SurveyError) as caught:
        create_category(question, by=world.users["staff"], name="huisvesting")
    assert str(caught.value) == "The category 'huisvesting' already exists."


def test_the_staff_question_form_shows_cross_field_errors_in_english(client, world):
    client.force_login(world.users["staff"])
    survey = make_survey()
    response = client.post(
        reverse("surveys:question_add", args=[survey.pk]),
        {"text": "Kies", "kind": "single_choice", "options": "Een"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "A choice question has at least two options." in response.content.decode()
