"""Staff pages: building a survey in the UI, coding open answers, live figures, exports."""

import csv
import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from selfscan.audit.models import AuditEvent
from selfscan.surveys import demo, services
from selfscan.surveys.models import Category, Question, Response, Survey
from tests.surveys.factories import add_question, make_survey, meeting_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, world):
    client.force_login(world.user("staff"))
    return client


def answer(survey, token, **values):
    by_key = {q.key: q.pk for q in survey.questions.all()}
    return services.submit_response(
        survey, submission_token=token, values={by_key[k]: v for k, v in values.items()}
    )[0]


def test_staff_builds_a_survey_in_the_ui(staff_client):
    response = staff_client.post(reverse("surveys:create"), {"title": "Studiedag", "intro": ""})
    survey = Survey.objects.get(title="Studiedag")
    assert response["Location"] == reverse("surveys:detail", args=[survey.pk])
    add = reverse("surveys:question_add", args=[survey.pk])
    staff_client.post(add, {"text": "Voelt u zich gehoord?", "kind": "yes_no", "required": "on"})
    staff_client.post(
        add,
        {
            "text": "Cijfer",
            "key": "cijfer",
            "kind": "grade",
            "scale_min": "1",
            "scale_max": "10",
            "bins": "< 6; ; 6\n6–8; 6; 8\n8 of hoger; 8;",
        },
    )
    staff_client.post(reverse("surveys:section_add", args=[survey.pk]), {"title": "Over u"})
    questions = list(survey.questions.order_by("order"))
    assert [(q.key, q.kind, q.required) for q in questions] == [
        ("voelt-u-zich-gehoord", "yes_no", True),
        ("cijfer", "grade", False),
    ]
    assert questions[1].bins[2] == {"label": "8 of hoger", "at_least": 8.0, "below": None}
    staff_client.post(
        reverse("surveys:question_move", args=[survey.pk, questions[1].pk]), {"direction": "up"}
    )
    assert list(survey.questions.order_by("order").values_list("key", flat=True)) == [
        "cijfer",
        "voelt-u-zich-gehoord",
    ]
    assert survey.sections.get().title == "Over u"
    assert AuditEvent.objects.filter(action="survey.question_saved").count() == 2


def test_question_form_rejects_bad_definitions(staff_client):
    survey = make_survey()
    add = reverse("surveys:question_add", args=[survey.pk])
    response = staff_client.post(add, {"text": "Kies", "kind": "single_choice", "options": "Een"})
    assert response.status_code == 400
    assert "Een keuzevraag heeft minstens twee opties." in response.content.decode()
    response = staff_client.post(add, {"text": "Cijfer", "kind": "grade", "scale_min": "1"})
    assert "laagste (min) en hoogste (max)" in response.content.decode()
    response = staff_client.post(
        add, {"text": "C", "kind": "grade", "scale_min": "1", "scale_max": "5", "bins": "x; a; b"}
    )
    assert "Regel 1: de grenzen moeten getallen zijn." in response.content.decode()
    assert Question.objects.count() == 0


def test_structure_is_locked_once_there_are_responses(staff_client):
    survey = meeting_survey()
    answer(survey, "t" * 30, gehoord=True)
    question = survey.questions.get(key="gehoord")
    response = staff_client.post(
        reverse("surveys:question_add", args=[survey.pk]), {"text": "Nieuw", "kind": "yes_no"}
    )
    assert "geen vragen meer toevoegen" in response.content.decode()
    staff_client.post(reverse("surveys:question_delete", args=[survey.pk, question.pk]))
    assert survey.questions.count() == 5
    # the wording may still change
    staff_client.post(
        reverse("surveys:question_edit", args=[survey.pk, question.pk]),
        {"text": "Voelde u zich gehoord?", "key": "gehoord", "kind": "yes_no"},
    )
    assert survey.questions.get(key="gehoord").text == "Voelde u zich gehoord?"


def test_upload_shows_every_error_and_stores_nothing(staff_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("v.yaml", b"survey:\n  title: T\n  x: 1\nquestions: []\n")
    response = staff_client.post(reverse("surveys:upload"), {"file": bad})
    assert response.status_code == 400
    assert "v.yaml, regel 3, kolom 3 [survey.x]: onbekende sleutel" in response.content.decode()
    assert Survey.objects.count() == 0
    good = SimpleUploadedFile(
        "g.yaml", b"survey:\n  title: T\nquestions:\n  - {key: a, text: A, type: yes_no}\n"
    )
    response = staff_client.post(reverse("surveys:upload"), {"file": good})
    assert response.status_code == 302
    assert Survey.objects.get().questions.get().kind == "yes_no"


def test_detail_page_has_link_and_inline_qr_svg(staff_client):
    survey = make_survey()
    html = staff_client.get(reverse("surveys:detail", args=[survey.pk])).content.decode()
    assert f"/v/{survey.public_token}/" in html
    assert "<svg" in html and "QR-code naar de vragenlijst" in html


def test_coding_merge_adds_counts_and_rename_keeps_assignments(staff_client, world):
    survey = meeting_survey()
    texts = ["Minder papier", "Minder formulieren", "Wijkteam", "Jeugdhulp", "Jeugdhulp erbij"]
    for n, text in enumerate(texts):
        answer(survey, f"token-{n:030d}", wens=text)
    question = survey.questions.get(key="wens")
    url = reverse("surveys:coding", args=[survey.pk, question.pk])
    for name in ("Administratie", "Papier", "Partners"):
        staff_client.post(url, {"action": "create", "name": name})
    cats = {c.name: c.pk for c in Category.objects.all()}
    ids = {a.value: a.pk for a in question.answers.all()}
    coding = {
        "Minder papier": ["Papier"],
        "Minder formulieren": ["Administratie"],
        "Wijkteam": ["Partners"],
        "Jeugdhulp": ["Partners", "Administratie"],
    }
    data = {"action": "code", "answer": list(ids.values())}
    for text, names in coding.items():
        data[f"cat-{ids[text]}"] = [cats[n] for n in names]
    data[f"unique-{ids['Jeugdhulp erbij']}"] = "1"
    staff_client.post(url, data)

    def report():
        from selfscan.surveys.selectors import survey_summary

        q = {q.spec.key: q for q in survey_summary(survey).questions}["wens"]
        return [(c.label, c.count) for c in q.categories], q.unique_remarks

    assert report() == ([("Administratie", 2), ("Partners", 2), ("Papier", 1)], 1)
    # merge Papier (1) into Administratie (2): 3
    staff_client.post(
        url, {"action": "merge", "source": cats["Papier"], "target": cats["Administratie"]}
    )
    assert report() == ([("Administratie", 3), ("Partners", 2)], 1)
    # merge Partners into Administratie: they share "Jeugdhulp", which counts once: 3 + 2 - 1
    staff_client.post(
        url, {"action": "merge", "source": cats["Partners"], "target": cats["Administratie"]}
    )
    assert report() == ([("Administratie", 4)], 1)
    staff_client.post(
        url, {"action": "rename", "category": cats["Administratie"], "name": "Minder last"}
    )
    assert report() == ([("Minder last", 4)], 1)
    assert Category.objects.get().answers.count() == 4


def test_coding_refuses_categories_of_another_question(staff_client):
    survey = meeting_survey()
    other = make_survey("Ander")
    other_q = add_question(other, "open", "short_text")
    foreign = services.create_category(other_q, by=None, name="Vreemd")
    answer(survey, "t" * 30, wens="Iets")
    question = survey.questions.get(key="wens")
    ans = question.answers.get()
    url = reverse("surveys:coding", args=[survey.pk, question.pk])
    staff_client.post(url, {"action": "code", "answer": [ans.pk], f"cat-{ans.pk}": [foreign.pk]})
    assert ans.categories.count() == 0


def test_live_endpoint_sends_figures_only_when_the_count_changed(staff_client):
    survey = meeting_survey()
    live = reverse("surveys:summary_live", args=[survey.pk])
    data = json.loads(staff_client.get(live, {"count": "0"}).content)
    assert data == {"count": 0, "open": True}
    answer(survey, "t" * 30, gehoord=True)
    data = json.loads(staff_client.get(live, {"count": "0"}).content)
    assert data["count"] == 1
    assert "1× ja, 0× nee, 0× blanco" in data["html"]


def test_summary_page_has_live_region_and_local_plotly(staff_client):
    survey = meeting_survey()
    html = staff_client.get(reverse("surveys:summary", args=[survey.pk])).content.decode()
    assert 'aria-live="polite"' in html
    assert "/static/vendor/plotly/plotly.min.js" in html
    assert "data-live-url" in html
    assert "cdn" not in html.lower()


def test_summary_page_query_count_does_not_grow_with_responses(
    staff_client, django_assert_max_num_queries
):
    survey = meeting_survey()
    for n in range(30):
        answer(survey, f"t{n:031d}", gehoord=True, droom=4, wens=f"Tekst {n}")
    with django_assert_max_num_queries(15):
        staff_client.get(reverse("surveys:summary", args=[survey.pk]))


def test_exports_are_formula_safe(staff_client):
    survey = meeting_survey()
    answer(survey, "t" * 30, gehoord=False, droom=3, wens='=HYPERLINK("http://x")')
    answer(survey, "u" * 30, gehoord=True, droom=4, wens="+31 6 1234")
    raw = staff_client.get(reverse("surveys:export_responses", args=[survey.pk, "csv"]))
    rows = list(csv.reader(io.StringIO(raw.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["nr", "ingevuld op", "gehoord"]
    assert rows[1][rows[0].index("wens")] == '\'=HYPERLINK("http://x")'
    assert rows[2][rows[0].index("wens")] == "'+31 6 1234"
    assert rows[1][rows[0].index("gehoord")] == "nee"
    xlsx = staff_client.get(reverse("surveys:export_responses", args=[survey.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert '\'=HYPERLINK("http://x")' in values
    assert not any(isinstance(v, str) and v.startswith(("=", "+")) for v in values)


def test_summary_exports(staff_client):
    survey = meeting_survey()
    answer(survey, "t" * 30, gehoord=True, droom=3)
    answer(survey, "u" * 30, gehoord=True, droom=4)
    text = staff_client.get(
        reverse("surveys:export_summary", args=[survey.pk, "csv"])
    ).content.decode("utf-8-sig")
    assert ";Voelt u zich gehoord?;antwoord;ja;2;100,0;\r\n" in text
    assert ";Cijfer voor de droom;statistiek;gemiddelde;;;3,50\r\n" in text
    xlsx = staff_client.get(reverse("surveys:export_summary", args=[survey.pk, "xlsx"]))
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert (None, "Cijfer voor de droom", "statistiek", "gemiddelde", None, None, 3.5) in rows
    pdf = staff_client.get(reverse("surveys:export_summary", args=[survey.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_close_now_and_reopen(staff_client, client):
    survey = meeting_survey()
    staff_client.post(reverse("surveys:open_close", args=[survey.pk]), {"action": "close"})
    survey.refresh_from_db()
    assert not survey.is_open()
    staff_client.post(reverse("surveys:open_close", args=[survey.pk]), {"action": "open"})
    survey.refresh_from_db()
    assert survey.is_open()


def test_demo_is_idempotent():
    demo.load(lambda line: None)
    survey = Survey.objects.get(key=demo.KEY)
    first = (Response.objects.count(), Category.objects.count(), survey.questions.count())
    coded = sorted(
        (a.pk, tuple(c.pk for c in a.categories.all()), a.unique_remark)
        for a in survey.questions.get(key="verbetering").answers.prefetch_related("categories")
    )
    demo.load(lambda line: None)
    assert first == (101, 4, 8)
    assert (Response.objects.count(), Category.objects.count(), survey.questions.count()) == first
    assert coded == sorted(
        (a.pk, tuple(c.pk for c in a.categories.all()), a.unique_remark)
        for a in survey.questions.get(key="verbetering").answers.prefetch_related("categories")
    )
    assert any(unique for _, _, unique in coded)


def test_deleting_a_section_keeps_its_questions_and_answers(staff_client):
    survey = meeting_survey()
    section = survey.sections.create(title="Deel 1", order=1)
    survey.questions.filter(key="gehoord").update(section=section)
    answer(survey, "t" * 30, gehoord=True)
    staff_client.post(reverse("surveys:section_delete", args=[survey.pk, section.pk]))
    assert survey.sections.count() == 0
    question = survey.questions.get(key="gehoord")
    assert question.section is None
    assert question.answers.get().value is True
