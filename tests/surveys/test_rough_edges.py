"""The rough edges seen when the survey module was tried as a new user would (issue 17): each
test here failed before its fix."""

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from selfscan.surveys import models as survey_models
from selfscan.surveys import selectors, services
from selfscan.surveys.charts import count_step, figure_json
from selfscan.surveys.models import Category, Question, Survey
from tests.surveys.factories import add_question, add_section, make_survey, meeting_survey

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def staff_client(client, world):
    client.force_login(world.user("staff"))
    return client


def answer(survey, token, **values):
    by_key = {q.key: q.pk for q in survey.questions.all()}
    return services.submit_response(
        survey, submission_token=token, values={by_key[k]: v for k, v in values.items()}
    )[0]


# --- coding keeps unsaved ticks when a category is added -----------------------------------


def test_adding_a_category_keeps_the_unsaved_ticks(staff_client):
    survey = meeting_survey()
    for n in range(4):
        answer(survey, f"t{n:031d}", wens=f"Minder papier {n}")
    question = survey.questions.get(key="wens")
    papier = services.create_category(question, by=None, name="Papier")
    ids = list(question.answers.values_list("pk", flat=True))
    url = reverse("surveys:coding", args=[survey.pk, question.pk])
    data = {"action": "create", "name": "Administratie", "answer": ids}
    for pk in ids:
        data[f"cat-{pk}"] = [papier.pk]  # four ticks, not yet saved
    response = staff_client.post(url, data)
    assert response.status_code == 302
    assert Category.objects.filter(question=question, name="Administratie").exists()
    assert papier.answers.count() == 4  # was 0: the ticks were thrown away


def test_a_bad_category_name_keeps_the_ticks_on_the_page_and_saves_nothing(staff_client):
    survey = meeting_survey()
    answer(survey, "t" * 32, wens="Minder papier")
    question = survey.questions.get(key="wens")
    papier = services.create_category(question, by=None, name="Papier")
    ans = question.answers.get()
    url = reverse("surveys:coding", args=[survey.pk, question.pk])
    response = staff_client.post(
        url, {"action": "create", "name": "  ", "answer": [ans.pk], f"cat-{ans.pk}": [papier.pk]}
    )
    assert response.status_code == 400
    assert re.search(rf'id="cat-{ans.pk}-{papier.pk}"\s+checked', response.content.decode())
    assert papier.answers.count() == 0
    assert question.categories.count() == 1


def test_a_duplicate_category_name_keeps_the_ticks_on_the_page(staff_client):
    survey = meeting_survey()
    answer(survey, "t" * 32, wens="Minder papier")
    question = survey.questions.get(key="wens")
    papier = services.create_category(question, by=None, name="Papier")
    ans = question.answers.get()
    url = reverse("surveys:coding", args=[survey.pk, question.pk])
    response = staff_client.post(
        url,
        {"action": "create", "name": "papier", "answer": [ans.pk], f"cat-{ans.pk}": [papier.pk]},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "bestaat al" in html
    assert re.search(rf'id="cat-{ans.pk}-{papier.pk}"\s+checked', html)
    assert papier.answers.count() == 0  # nothing saved: all or nothing


# --- a survey stays concept until it has questions and is opened -----------------------------


def test_a_new_survey_is_a_concept_nobody_can_answer(staff_client):
    staff_client.post(reverse("surveys:create"), {"title": "Studiedag", "intro": ""})
    survey = Survey.objects.get(title="Studiedag")
    assert survey.concept
    assert survey.status == "concept"
    assert not survey.is_open()
    page = Client().get(reverse("surveys:answer", args=[survey.public_token]))
    assert "nog niet open" in page.content.decode()
    detail = staff_client.get(reverse("surveys:detail", args=[survey.pk])).content.decode()
    assert "concept" in detail


def test_a_survey_without_questions_cannot_be_opened(staff_client):
    staff_client.post(reverse("surveys:create"), {"title": "Leeg", "intro": ""})
    survey = Survey.objects.get(title="Leeg")
    response = staff_client.post(
        reverse("surveys:open_close", args=[survey.pk]), {"action": "open"}, follow=True
    )
    assert "Voeg eerst vragen toe" in response.content.decode()
    survey.refresh_from_db()
    assert survey.concept and not survey.is_open()


def test_opening_explicitly_opens_a_survey_with_questions(staff_client):
    staff_client.post(reverse("surveys:create"), {"title": "Studiedag", "intro": ""})
    survey = Survey.objects.get(title="Studiedag")
    add_question(survey, "jn", "yes_no")
    survey.refresh_from_db()
    assert not survey.is_open()  # questions alone do not open it
    staff_client.post(reverse("surveys:open_close", args=[survey.pk]), {"action": "open"})
    survey.refresh_from_db()
    assert survey.status == "open"
    assert Client().get(reverse("surveys:answer", args=[survey.public_token])).status_code == 200


def test_scheduled_open_and_close(staff_client):
    now = timezone.now()
    opens, closes = now + dt.timedelta(days=1), now + dt.timedelta(days=2)
    survey = services.create_survey(by=None, title="Gepland", opens_at=opens, closes_at=closes)
    add_question(survey, "jn", "yes_no")
    services.open_survey(survey, by=None)
    survey.refresh_from_db()
    assert survey.status == "scheduled"
    assert not survey.is_open(now)
    assert survey.is_open(opens + dt.timedelta(minutes=1))
    assert not survey.is_open(closes)


# --- the question form shows only the fields of the chosen kind ------------------------------


def field_names(html: str) -> set[str]:
    start = html.index('<form method="post" class="stack">')
    form = html[start : html.index("</form>", start)]
    return set(re.findall(r'name="([a-z_]+)"', form)) - {"csrfmiddlewaretoken"}


def test_question_form_shows_only_the_fields_of_the_chosen_kind(staff_client):
    survey = make_survey()
    add = reverse("surveys:question_add", args=[survey.pk])
    common = {"text", "key", "help_text", "kind", "required", "section"}
    assert field_names(staff_client.get(add).content.decode()) == common
    html = staff_client.get(add, {"kind": "single_choice"}).content.decode()
    assert field_names(html) == common | {"options"}
    html = staff_client.get(add, {"kind": "grade"}).content.decode()
    assert field_names(html) == common | {"scale_min", "scale_max", "bins"}
    html = staff_client.get(add, {"kind": "long_text"}).content.decode()
    assert field_names(html) == common | {"max_length"}
    # The kind is chosen in a plain GET form: no JavaScript needed.
    assert re.search(r'<form method="get"[^>]*>.*?name="kind"', html, re.S)


def test_question_form_without_javascript_saves_the_chosen_kind(staff_client):
    survey = make_survey()
    add = reverse("surveys:question_add", args=[survey.pk])
    response = staff_client.post(
        add, {"text": "Wat kiest u?", "kind": "single_choice", "options": "A\nB"}
    )
    assert response.status_code == 302
    assert Question.objects.get().options == ["A", "B"]
    # A post of a kind shows that kind's fields again with the error next to them.
    response = staff_client.post(add, {"text": "Cijfer", "kind": "grade", "scale_min": "1"})
    assert response.status_code == 400
    assert field_names(response.content.decode()) >= {"scale_min", "scale_max", "bins"}


# --- whole-number count axes ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "step"), [([1, 1, 0], 1), ([0], 1), ([6], 1), ([7], 2), ([30], 5), ([86, 9], 20)]
)
def test_count_step_is_a_whole_number(counts, step):
    assert count_step(counts) == step


def test_count_axes_have_whole_number_ticks():
    survey = meeting_survey()
    answer(survey, "t" * 32, gehoord=True)
    for question in selectors.survey_summary(survey).questions:
        chart = figure_json(question)
        if chart is None:
            continue
        xaxis = json.loads(chart)["layout"]["xaxis"]
        assert xaxis["tickformat"] == "d"
        assert isinstance(xaxis["dtick"], int) and xaxis["dtick"] >= 1


# --- open answers are visible ---------------------------------------------------------------


def test_open_answers_are_shown_not_folded_away(staff_client):
    survey = meeting_survey()
    answer(survey, "t" * 32, wens="Minder papier")
    html = staff_client.get(reverse("surveys:summary", args=[survey.pk])).content.decode()
    assert "<details" not in html
    assert "<li>Minder papier</li>" in html


# --- the summary CSV layout --------------------------------------------------------------------


def summary_csv(client, survey) -> list[list[str]]:
    raw = client.get(reverse("surveys:export_summary", args=[survey.pk, "csv"]))
    return list(csv.reader(io.StringIO(raw.content.decode("utf-8-sig")), delimiter=";"))


def test_summary_csv_has_a_correct_header_with_sections(staff_client):
    survey = make_survey()
    section = add_section(survey, "Over u")
    add_question(survey, "jn", "yes_no", text="Gehoord?", section=section)
    add_question(survey, "cijfer", "grade", text="Cijfer?", scale_min=1, scale_max=5)
    answer(survey, "t" * 32, jn=True, cijfer=3)
    answer(survey, "u" * 32, jn=True, cijfer=3)
    rows = summary_csv(staff_client, survey)
    assert rows[0] == [
        "onderdeel",
        "vraag",
        "soort rij",
        "antwoord of maat",
        "aantal",
        "percentage",
        "waarde",
    ]
    assert ["Over u", "Gehoord?", "antwoord", "ja", "2", "100,0", ""] in rows
    # A mean is a value, not a count, and is written as on the page: "3,00".
    assert ["", "Cijfer?", "statistiek", "gemiddelde", "", "", "3,00"] in rows
    page = staff_client.get(reverse("surveys:summary", args=[survey.pk])).content.decode()
    assert "<dd>3,00</dd>" in page


def test_the_export_layout_is_documented():
    text = (ROOT / "docs" / "decisions" / "0201-survey-summary-export-layout.md").read_text()
    for column in ("onderdeel", "vraag", "soort rij", "antwoord of maat", "aantal", "waarde"):
        assert f"`{column}`" in text


# --- load_survey, the example file and the documentation -------------------------------------


def test_load_survey_prints_the_id_and_public_link(tmp_path, capsys):
    path = tmp_path / "v.yaml"
    path.write_text(
        "survey:\n  title: T\nquestions:\n  - {key: jn, text: Gehoord, type: yes_no}\n",
        encoding="utf-8",
    )
    call_command("load_survey", str(path))
    out = capsys.readouterr().out
    survey = Survey.objects.get()
    assert f"id: {survey.pk}" in out
    assert settings.SITE_URL + reverse("surveys:answer", args=[survey.public_token]) in out


def test_the_example_explains_closes_and_exclusive_below():
    example = (ROOT / "selfscan/surveys/examples/ondersteuningsplan-2026.yaml").read_text()
    assert "last day to answer is 28 February" in example
    assert "`below` is EXCLUSIVE" in example


def test_bins_below_is_exclusive_as_documented():
    survey = make_survey()
    add_question(
        survey,
        "c",
        "grade",
        scale_min=1,
        scale_max=10,
        bins=[{"label": "6 tot 8", "at_least": 6, "below": 8}],
    )
    for n, grade in enumerate((6, 7, 8)):
        answer(survey, f"t{n:031d}", c=grade)
    stats = selectors.survey_summary(survey).questions[0].stats
    assert stats is not None and stats.bins[0].count == 2


def test_docs_say_only_the_day_is_stored():
    decision = (ROOT / "docs/decisions/0050-survey-data-model.md").read_text()
    assert "stores its time" not in decision
    assert "day it came in" in decision
    doc = survey_models.__doc__ or ""
    assert "the time it arrived" not in doc
    assert "the day it arrived (never the time" in doc


# --- the summary PDF has charts (server-drawn SVG, the reports' vector-chart route) ----------


def test_summary_pdf_has_a_chart_per_question(staff_client, monkeypatch):
    from django.template.loader import render_to_string

    from selfscan.surveys import exports

    rendered: list[str] = []
    real = exports.to_pdf

    def capture(context):
        rendered.append(render_to_string("surveys/summary_pdf.html", context))
        return real(context)

    monkeypatch.setattr(exports, "to_pdf", capture)
    survey = meeting_survey()
    answer(survey, "t" * 32, gehoord=True, droom=4, haalbaarheid=7, wens="Minder papier")
    pdf = staff_client.get(reverse("surveys:export_summary", args=[survey.pk, "pdf"]))
    assert pdf.content.startswith(b"%PDF")
    html = rendered[0]
    # One server-drawn SVG chart per closed or numeric question (gehoord, campus, droom,
    # haalbaarheid); the open question has no coded categories yet, so no chart.
    assert html.count('<img class="pdf-chart" src="data:image/svg+xml;base64,') == 4
    assert "data-figure" not in html  # no plotly (WeasyPrint runs no JavaScript)
