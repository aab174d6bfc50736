"""Survey definitions from YAML: all or nothing, every error in Dutch with its line."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from selfscan.surveys.models import Question, Survey
from selfscan.surveys.services import load_survey_file, submit_response

pytestmark = pytest.mark.django_db
EXAMPLES = Path(__file__).resolve().parents[2] / "selfscan" / "surveys" / "examples"

GOOD = b"""survey:
  key: test
  title: Test
  opens: 2025-01-01
questions:
  - key: jn
    text: Ja of nee?
    type: yes_no
    required: true
  - key: cijfer
    text: Cijfer?
    type: grade
    min: 1
    max: 10
    bins:
      - {label: "< 6", below: 6}
      - {label: "6 of hoger", at_least: 6}
"""


def test_the_example_files_load():
    files = sorted(EXAMPLES.glob("*.yaml"))
    assert files
    for path in files:
        result = load_survey_file(path.read_bytes(), filename=path.name)
        assert result.errors == [], [str(e) for e in result.errors]
        assert result.survey.questions.count() > 0


def test_a_good_file_creates_questions_in_order():
    result = load_survey_file(GOOD, filename="t.yaml")
    assert result.created
    questions = list(result.survey.questions.all())
    assert [q.key for q in questions] == ["jn", "cijfer"]
    assert questions[0].required
    assert questions[1].bins == [
        {"label": "< 6", "at_least": None, "below": 6.0},
        {"label": "6 of hoger", "at_least": 6.0, "below": None},
    ]
    assert result.survey.opens_at is not None
    assert len(result.survey.public_token) >= 32


def test_schema_errors_are_dutch_with_lines_and_nothing_is_stored():
    bad = b"""survey:
  title: Test
  kleur: blauw
questions:
  - key: a
    text: A
    type: slider
"""
    result = load_survey_file(bad, filename="fout.yaml")
    assert result.survey is None
    messages = [str(e) for e in result.errors]
    assert "fout.yaml, regel 3, kolom 3 [survey.kleur]: onbekende sleutel" in messages
    assert any("regel 7" in m and "ongeldige waarde 'slider'" in m for m in messages)
    assert Survey.objects.count() == 0


def test_cross_field_errors_point_at_their_question():
    bad = b"""survey:
  title: Test
questions:
  - key: a
    text: Keuze
    type: single_choice
    options: [Alleen]
  - key: a
    text: Cijfer
    type: grade
    min: 5
    max: 1
    bins:
      - {label: leeg}
"""
    result = load_survey_file(bad, filename="f.yaml")
    messages = [str(e) for e in result.errors]
    assert (
        "f.yaml, regel 7, kolom 5 [questions[1].options]: een keuzevraag heeft minstens twee opties"
        in messages
    )
    assert any("regel 8" in m and "de sleutel 'a' komt dubbel voor" in m for m in messages)
    assert any("[questions[2].max]" in m and "groter" in m for m in messages)
    assert any("klasse 'leeg' heeft geen grens" in m for m in messages)
    assert Question.objects.count() == 0


def test_yaml_syntax_and_encoding_errors():
    assert "YAML-syntaxfout" in str(load_survey_file(b"survey: [", filename="x.yaml").errors[0])
    assert "UTF-8" in str(load_survey_file(b"survey: \xff", filename="x.yaml").errors[0])


def test_same_key_replaces_until_there_are_responses():
    first = load_survey_file(GOOD, filename="t.yaml").survey
    second = load_survey_file(GOOD.replace(b"title: Test", b"title: Nieuw"), filename="t.yaml")
    assert second.survey.pk == first.pk and not second.created
    assert Survey.objects.get().title == "Nieuw"
    question = first.questions.get(key="jn")
    submit_response(first, submission_token="t" * 30, values={question.pk: True})
    third = load_survey_file(GOOD.replace(b"title: Test", b"title: Anders"), filename="t.yaml")
    assert third.survey is None
    assert "heeft al reacties" in str(third.errors[0])
    assert Survey.objects.get().title == "Nieuw"


def test_management_command(tmp_path, capsys):
    path = tmp_path / "v.yaml"
    path.write_bytes(GOOD)
    call_command("load_survey", str(path))
    assert "aangemaakt (2 vragen)" in capsys.readouterr().out
    path.write_bytes(b"survey:\n  title: x\n")
    with pytest.raises(CommandError, match="niets opgeslagen"):
        call_command("load_survey", str(path))
    assert "geen vragen" in capsys.readouterr().err


def test_question_rules_are_checked_even_when_other_parts_are_invalid():
    bad = b"""survey:
  title: Test
  kleur: blauw
questions:
  - key: keuze
    text: Keuze
    type: single_choice
    options: [Alleen]
  - key: kapot
    text: Kapot
    type: onbekend
"""
    messages = [str(e) for e in load_survey_file(bad, filename="f.yaml").errors]
    assert "f.yaml, regel 3, kolom 3 [survey.kleur]: onbekende sleutel" in messages
    assert any("regel 8" in m and "minstens twee opties" in m for m in messages)
    assert any("regel 11" in m and "ongeldige waarde 'onbekend'" in m for m in messages)
    assert Survey.objects.count() == 0
