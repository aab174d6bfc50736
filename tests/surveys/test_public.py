"""Public answering: bad input stores nothing and says why in Dutch; one response per post and
per browser; no IP address or user agent anywhere."""

import datetime as dt
import logging
import secrets

import pytest
from django.core import serializers
from django.urls import reverse
from django.utils import timezone

from selfscan.surveys.models import Answer, Response, Survey
from tests.surveys.factories import add_question, add_section, make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey():
    survey = make_survey("Ouderavond")
    add_question(survey, "gehoord", "yes_no", text="Voelt u zich gehoord?", required=True)
    add_question(survey, "cijfer", "grade", text="Uw cijfer", scale_min=1, scale_max=10)
    add_question(
        survey, "rol", "single_choice", text="Uw rol", options=["Ouder", "Leraar", "Partner"]
    )
    add_question(survey, "thema", "multiple_choice", text="Thema's", options=["Lezen", "Rekenen"])
    add_question(survey, "uren", "number", text="Uren", scale_min=0, scale_max=40)
    add_question(survey, "opmerking", "short_text", text="Opmerking", max_length=50)
    return survey


def url(survey):
    return reverse("surveys:answer", args=[survey.public_token])


def valid(**changes):
    data = {
        "submission_token": secrets.token_urlsafe(24),
        "q_gehoord": "ja",
        "q_cijfer": "7",
        "q_rol": "Ouder",
        "q_thema": ["Lezen", "Rekenen"],
        "q_uren": "3,5",
        "q_opmerking": "Fijne avond",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_valid_post_stores_every_answer_typed(client, survey):
    response = client.post(url(survey), valid())
    assert response.status_code == 302
    stored = {a.question.key: a.value for a in Answer.objects.select_related("question")}
    assert stored == {
        "gehoord": True,
        "cijfer": 7,
        "rol": "Ouder",
        "thema": ["Lezen", "Rekenen"],
        "uren": 3.5,
        "opmerking": "Fijne avond",
    }


def test_optional_questions_may_stay_blank(client, survey):
    data = {"submission_token": secrets.token_urlsafe(24), "q_gehoord": "nee"}
    assert client.post(url(survey), data).status_code == 302
    values = {a.question.key: a.value for a in Answer.objects.select_related("question")}
    assert values["gehoord"] is False
    assert values["cijfer"] is None and values["thema"] is None and values["opmerking"] is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"q_gehoord": None}, "Beantwoord deze vraag."),
        ({"q_cijfer": "11"}, "Kies een cijfer van 1 tot en met 10."),
        ({"q_cijfer": "0"}, "Kies een cijfer van 1 tot en met 10."),
        ({"q_cijfer": "7.5"}, "Kies een cijfer van 1 tot en met 10."),
        ({"q_rol": "Directeur"}, "Kies een van de gegeven antwoorden."),
        ({"q_gehoord": "misschien"}, "Kies een van de gegeven antwoorden."),
        ({"q_thema": ["Lezen", "Zwemmen"]}, "Kies een van de gegeven antwoorden."),
        ({"q_uren": "veel"}, "Vul een getal in"),
        ({"q_uren": "41"}, "Het getal mag hoogstens 40 zijn."),
        ({"q_opmerking": "x" * 51}, "Uw antwoord is te lang: hoogstens 50 tekens (nu 51)."),
        ({"submission_token": None}, "Het formulier is onvolledig"),
        ({"submission_token": "kort"}, "Het formulier is onvolledig"),
    ],
)
def test_bad_input_says_why_and_stores_nothing(client, survey, changes, message):
    response = client.post(url(survey), valid(**changes))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'class="error-summary"' in html
    assert 'class="field-error"' in html or "Het formulier is onvolledig" in html
    assert Response.objects.count() == 0
    assert Answer.objects.count() == 0


def test_error_is_next_to_its_field_and_linked_from_the_summary(client, survey):
    html = client.post(url(survey), valid(q_cijfer="11")).content.decode()
    assert 'href="#id_q_cijfer_0"' in html
    assert 'aria-describedby="id_q_cijfer_error"' in html
    assert '<p class="field-error" id="id_q_cijfer_error">' in html


def test_post_to_a_closed_survey_stores_nothing(client, survey):
    survey.closes_at = timezone.now() - dt.timedelta(minutes=1)
    survey.save()
    response = client.post(url(survey), valid())
    assert "Deze vragenlijst is gesloten" in response.content.decode()
    assert Response.objects.count() == 0


def test_survey_not_yet_open_shows_closed_message(client, survey):
    survey.opens_at = timezone.now() + dt.timedelta(days=1)
    survey.save()
    response = client.get(url(survey))
    assert "Deze vragenlijst is nog niet open" in response.content.decode()
    assert "Open vanaf" in response.content.decode()
    client.post(url(survey), valid())
    assert Response.objects.count() == 0


def test_unknown_link_is_a_dutch_404_and_stores_nothing(client, survey):
    bad = reverse("surveys:answer", args=["bestaat-niet-" + "x" * 20])
    for response in (client.get(bad), client.post(bad, valid())):
        assert response.status_code == 404
        assert "Deze link hoort niet bij een vragenlijst" in response.content.decode()
    assert Response.objects.count() == 0


def test_double_post_with_the_same_token_stores_one_response(client, survey):
    data = valid()
    first = client.post(url(survey), data)
    client.cookies.clear()  # even from a browser that lost its cookie in between
    second = client.post(url(survey), data)
    assert first.status_code == second.status_code == 302
    assert Response.objects.count() == 1
    assert Answer.objects.count() == 6


def test_same_token_after_the_cookie_is_set_goes_to_thanks(client, survey):
    data = valid()
    client.post(url(survey), data)
    response = client.post(url(survey), data)
    assert response.status_code == 302
    assert Response.objects.count() == 1


def test_one_response_per_browser(client, survey):
    assert client.post(url(survey), valid()).status_code == 302
    again = client.get(url(survey))
    assert "al ingevuld" in again.content.decode()
    assert 'name="q_gehoord"' not in again.content.decode()
    client.post(url(survey), valid())
    assert Response.objects.count() == 1


def test_no_ip_address_or_user_agent_is_stored_or_logged(client, survey, caplog):
    for model in (Survey, Response, Answer):
        names = {f.name.lower() for f in model._meta.get_fields()}
        assert not any(("ip" in n.split("_")) or "agent" in n or n == "user" for n in names), names
    caplog.set_level(logging.DEBUG)
    ip, agent = "203.0.113.77", "ProbeBrowser/9.9 (uniek-kenmerk)"
    client.post(url(survey), valid(), REMOTE_ADDR=ip, HTTP_USER_AGENT=agent)
    client.post(url(survey), valid(q_cijfer="99"), REMOTE_ADDR=ip, HTTP_USER_AGENT=agent)
    dump = serializers.serialize("json", [*Response.objects.all(), *Answer.objects.all()])
    assert Response.objects.count() == 1
    assert ip not in dump and agent not in dump
    assert all(ip not in r.getMessage() and agent not in r.getMessage() for r in caplog.records)


def test_form_is_accessible_markup(client, survey):
    add_section(survey, "Over u")
    html = client.get(url(survey)).content.decode()
    assert html.count("<fieldset") == 4  # yes/no, grade, single and multiple choice
    assert '<legend>Voelt u zich gehoord? <span class="required-text">(verplicht)</span>' in html
    assert '<label for="id_q_opmerking">' in html
    assert 'name="viewport"' in html
    assert "REMOTE_ADDR" not in html


def test_question_order_follows_sections(client, survey):
    section = add_section(survey, "Tweede deel")
    survey.questions.filter(key="gehoord").update(section=section)
    html = client.get(url(survey)).content.decode()
    assert (
        html.index('name="q_cijfer"') < html.index("Tweede deel") < html.index('name="q_gehoord"')
    )
