"""Access rules of the surveys app: staff manage and report; anyone with the link answers."""

from typing import Any

from selfscan.surveys.models import Question, Survey
from tests.access.matrix import ALL, Rule, everyone, staff_only


def _survey() -> Survey:
    survey = Survey.objects.filter(key="matrix").first()
    if survey is None:
        survey = Survey.objects.create(key="matrix", title="Matrix")
        Question.objects.create(survey=survey, key="open", kind="short_text", text="Open", order=1)
        Question.objects.create(survey=survey, key="jn", kind="yes_no", text="Ja of nee", order=2)
    return survey


def _pk(w: Any) -> dict[str, Any]:
    return {"pk": _survey().pk}


def _question(key: str) -> Any:
    def kwargs(w: Any) -> dict[str, Any]:
        survey = _survey()
        return {"pk": survey.pk, "question_pk": survey.questions.get(key=key).pk}

    return kwargs


def _section(w: Any) -> dict[str, Any]:
    survey = _survey()
    section = survey.sections.first() or survey.sections.create(title="Deel", order=1)
    return {"pk": survey.pk, "section_pk": section.pk}


def _token(w: Any) -> dict[str, Any]:
    return {"token": _survey().public_token}


def _bad_answer(w: Any) -> dict[str, Any]:
    # A valid post redirects to the thank-you page (tests/surveys/test_public.py); the matrix
    # treats an anonymous 302 as "sent to log in", so here a post with an unknown option shows
    # everyone the form again with its error (400): no login is asked.
    return {"submission_token": "t" * 32, "q_open": "Prima", "q_jn": "misschien"}


RULES = [
    # Public answering: by the link only, for everyone; an unknown link is a Dutch 404.
    Rule("surveys:answer", everyone(200), kwargs=_token),
    Rule("surveys:answer", everyone(400), kwargs=_token, method="post", data=_bad_answer),
    Rule("surveys:answer", everyone(404), kwargs=lambda w: {"token": "onbekend-" + "x" * 24}),
    Rule("surveys:thanks", everyone(200), kwargs=_token),
    # Partnership staff only.
    Rule("surveys:list", staff_only(200)),
    Rule("surveys:create", staff_only(200)),
    Rule("surveys:upload", staff_only(200)),
    Rule("surveys:detail", staff_only(200), kwargs=_pk),
    Rule("surveys:detail", staff_only(404), kwargs=lambda w: {"pk": 999999}),
    Rule("surveys:edit", staff_only(200), kwargs=_pk),
    Rule(
        "surveys:open_close",
        staff_only(302),
        kwargs=_pk,
        method="post",
        data=lambda w: {"action": "close"},
    ),
    Rule("surveys:qr", staff_only(200), kwargs=_pk),
    Rule(
        "surveys:section_add",
        staff_only(302),
        kwargs=_pk,
        method="post",
        data=lambda w: {"title": "Nieuw deel"},
    ),
    Rule("surveys:section_edit", staff_only(200), kwargs=_section),
    Rule(
        "surveys:section_move",
        staff_only(302),
        kwargs=_section,
        method="post",
        data=lambda w: {"direction": "down"},
    ),
    Rule("surveys:section_delete", staff_only(302), kwargs=_section, method="post"),
    Rule("surveys:question_add", staff_only(200), kwargs=_pk),
    Rule("surveys:question_edit", staff_only(200), kwargs=_question("jn")),
    Rule(
        "surveys:question_move",
        staff_only(302),
        kwargs=_question("jn"),
        method="post",
        data=lambda w: {"direction": "up"},
    ),
    Rule("surveys:question_delete", staff_only(302), kwargs=_question("jn"), method="post"),
    Rule("surveys:coding", staff_only(200), kwargs=_question("open")),
    # Coding is for open questions only.
    Rule("surveys:coding", staff_only(404), kwargs=_question("jn")),
    Rule("surveys:summary", staff_only(200), kwargs=_pk),
    Rule("surveys:summary_live", staff_only(200), kwargs=_pk),
    Rule("surveys:export_summary", staff_only(200), kwargs=lambda w: {**_pk(w), "fmt": "csv"}),
    Rule("surveys:export_summary", staff_only(200), kwargs=lambda w: {**_pk(w), "fmt": "xlsx"}),
    Rule("surveys:export_summary", staff_only(200), kwargs=lambda w: {**_pk(w), "fmt": "pdf"}),
    Rule("surveys:export_summary", staff_only(404), kwargs=lambda w: {**_pk(w), "fmt": "exe"}),
    Rule("surveys:export_responses", staff_only(200), kwargs=lambda w: {**_pk(w), "fmt": "csv"}),
    Rule("surveys:export_responses", staff_only(200), kwargs=lambda w: {**_pk(w), "fmt": "xlsx"}),
    # Issue 17: reuse, breakdowns and presenter mode (staff only, like the summary).
    Rule("surveys:copy", staff_only(302), kwargs=_pk, method="post"),
    Rule("surveys:definition", staff_only(200), kwargs=_pk),
    Rule("surveys:breakdown", staff_only(200), kwargs=_pk),
    Rule("surveys:export_breakdown", staff_only(200), kwargs=lambda w: {**_pk(w), "fmt": "csv"}),
    Rule("surveys:export_breakdown", staff_only(200), kwargs=lambda w: {**_pk(w), "fmt": "xlsx"}),
    Rule("surveys:export_breakdown", staff_only(404), kwargs=lambda w: {**_pk(w), "fmt": "pdf"}),
    Rule("surveys:presenter", staff_only(200), kwargs=_pk),
    Rule("surveys:presenter_live", staff_only(200), kwargs=_pk),
    Rule(
        "surveys:presenter_switch",
        staff_only(302),
        kwargs=_pk,
        method="post",
        data=lambda w: {"action": "hide", "vraag": "1"},
    ),
]

assert all(set(rule.expect) == set(ALL) for rule in RULES)
