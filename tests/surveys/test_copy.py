"""Reuse: copying a survey gives the same definition (compared through the YAML file format)
as a new concept without responses."""

import pytest
import yaml
from django.urls import reverse

from selfscan.audit.models import AuditEvent
from selfscan.surveys import selectors, services
from selfscan.surveys.models import Survey
from tests.surveys.factories import add_question, add_section, meeting_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey():
    survey = meeting_survey(intro="Over de bijeenkomst", min_group_size=4)
    section = add_section(survey, "Over u")
    add_question(
        survey,
        "rol",
        "single_choice",
        text="Ik ben",
        options=["ouder", "leerkracht"],
        section=section,
        required=True,
        help_text="Kies er één",
    )
    add_question(survey, "uren", "number", scale_min=0, scale_max=40, section=section)
    add_question(survey, "kort", "short_text", max_length=80)
    wens = survey.questions.get(key="wens")
    services.create_category(wens, by=None, name="Papier")
    services.create_category(wens, by=None, name="Partners")
    by_key = {q.key: q.pk for q in survey.questions.all()}
    services.submit_response(survey, submission_token="t" * 32, values={by_key["gehoord"]: True})
    return survey


def categories(survey: Survey) -> dict[str, list[str]]:
    return {
        q.key: sorted(c.name for c in q.categories.all())
        for q in survey.questions.all()
        if q.categories.exists()
    }


def test_a_copy_has_the_same_definition_and_no_responses(survey):
    copy = services.copy_survey(survey, by=None)
    original = yaml.safe_load(selectors.definition_yaml(survey))
    copied = yaml.safe_load(selectors.definition_yaml(copy))
    assert copied["survey"].pop("title") == "Bijeenkomst (kopie)"
    assert original["survey"].pop("title") == "Bijeenkomst"
    assert copied == original
    assert categories(copy) == categories(survey) == {"wens": ["Papier", "Partners"]}
    assert copy.responses.count() == 0
    assert copy.concept and not copy.is_open()
    assert copy.public_token != survey.public_token
    assert copy.key is None and copy.opens_at is None and copy.closes_at is None


def test_the_yaml_round_trip_gives_the_same_definition(survey):
    text = selectors.definition_yaml(survey)
    loaded = services.load_survey_file(text.encode(), filename="kopie.yaml")
    assert loaded.errors == [], [str(e) for e in loaded.errors]
    assert loaded.survey is not None
    assert selectors.definition_yaml(loaded.survey) == text
    # The parts that make the definition: sections, bins, options, scale, limits.
    data = yaml.safe_load(text)
    assert data["sections"][0]["title"] == "Over u"
    assert [q["key"] for q in data["sections"][0]["questions"]] == ["rol", "uren"]
    haalbaarheid = next(q for q in data["questions"] if q["key"] == "haalbaarheid")
    assert haalbaarheid["bins"][1] == {"label": "6–8", "at_least": 6, "below": 8}


def test_staff_copy_from_the_page(survey, client, world):
    client.force_login(world.user("staff"))
    response = client.post(reverse("surveys:copy", args=[survey.pk]))
    copy = Survey.objects.exclude(pk=survey.pk).get()
    assert response["Location"] == reverse("surveys:detail", args=[copy.pk])
    assert AuditEvent.objects.filter(action="survey.copied").count() == 1
    download = client.get(reverse("surveys:definition", args=[copy.pk]))
    assert download["Content-Type"].startswith("application/yaml")
    assert yaml.safe_load(download.content)["survey"]["title"] == "Bijeenkomst (kopie)"
