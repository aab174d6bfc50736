"""Builders for survey tests: surveys and questions without going through a file."""

from typing import Any

from selfscan.surveys.models import Question, Section, Survey


def make_survey(title: str = "Testvragenlijst", **fields: Any) -> Survey:
    return Survey.objects.create(title=title, **fields)


def add_question(survey: Survey, key: str, kind: str, **fields: Any) -> Question:
    order = survey.questions.count() + 1
    fields.setdefault("text", f"Vraag {key}")
    return Question.objects.create(survey=survey, key=key, kind=kind, order=order, **fields)


def add_section(survey: Survey, title: str) -> Section:
    return Section.objects.create(survey=survey, title=title, order=survey.sections.count() + 1)


def meeting_survey(**fields: Any) -> Survey:
    """Two yes/no questions, two grades (1-5 and 1-10 with bins) and one open question."""
    survey = make_survey("Bijeenkomst", **fields)
    add_question(survey, "gehoord", "yes_no", text="Voelt u zich gehoord?")
    add_question(survey, "campus", "yes_no", text="Deelt u het campusidee?")
    add_question(survey, "droom", "grade", text="Cijfer voor de droom", scale_min=1, scale_max=5)
    add_question(
        survey,
        "haalbaarheid",
        "grade",
        text="Cijfer voor de haalbaarheid",
        scale_min=1,
        scale_max=10,
        bins=[
            {"label": "< 6", "at_least": None, "below": 6},
            {"label": "6–8", "at_least": 6, "below": 8},
            {"label": "8 of hoger", "at_least": 8, "below": None},
        ],
    )
    add_question(survey, "wens", "long_text", text="Wat moet er beter?")
    return survey
