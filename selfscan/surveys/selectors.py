"""Reads of the surveys app: lists, the summary input, raw responses, coding screens."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import yaml
from django.conf import settings
from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse

from . import breakdown
from . import summary as s
from .models import Answer, Question, Survey


def surveys_for_staff() -> QuerySet[Survey]:
    """Every survey with its number of responses, newest first (one query)."""
    return Survey.objects.annotate(response_count=Count("responses", distinct=True))


def survey_with_questions(pk: int) -> Survey:
    """The survey for management pages, sections and questions prefetched (404 if unknown)."""
    return get_object_or_404(
        Survey.objects.prefetch_related(
            "sections", Prefetch("questions", queryset=Question.objects.select_related("section"))
        ).annotate(response_count=Count("responses", distinct=True)),
        pk=pk,
    )


def open_survey_by_token(token: str) -> Survey | None:
    """The survey behind a public link (None for an unknown link); questions prefetched."""
    return (
        Survey.objects.prefetch_related(
            "sections", Prefetch("questions", queryset=Question.objects.select_related("section"))
        )
        .filter(public_token=token)
        .first()
    )


def public_url(survey: Survey) -> str:
    """The answering link outside a request (commands, exports): SITE_URL plus the path."""
    return settings.SITE_URL + reverse("surveys:answer", args=[survey.public_token])


def response_count(survey: Survey) -> int:
    return survey.responses.count()


def question_spec(question: Question) -> s.QuestionSpec:
    return s.QuestionSpec(
        key=question.key,
        text=question.text,
        kind=question.kind,
        options=tuple(question.options or ()),
        scale_min=question.scale_min,
        scale_max=question.scale_max,
        bins=tuple(
            s.Bin(label=b["label"], at_least=b.get("at_least"), below=b.get("below"))
            for b in question.bins or ()
        ),
        section=question.section.title if question.section else "",
    )


def _ordered_questions(survey: Survey) -> list[Question]:
    """Questions in the order respondents see them: by section, then by question order."""
    questions = list(survey.questions.select_related("section").all())
    return sorted(
        questions,
        key=lambda q: (
            (0, 0, 0) if q.section is None else (1, q.section.order, q.section.pk),
            q.order,
            q.pk,
        ),
    )


def ordered_questions(survey: Survey) -> list[Question]:
    return _ordered_questions(survey)


def response_rows(survey: Survey) -> tuple[list[Question], list[dict[str, Any]], list[Any]]:
    """Questions, one dict (key -> value) per response and the responses' days (a date,
    never a time: decision 0052), in the order of the day and then the random token.

    Open answers come as `CodedAnswer` with their categories. Four flat queries (tuples, no
    model instances), whatever the number of responses.
    """
    questions = _ordered_questions(survey)
    by_id = {q.pk: q for q in questions}
    responses = list(
        survey.responses.order_by("submitted_on", "submission_token").values_list(
            "pk", "submitted_on"
        )
    )
    rows: dict[int, dict[str, Any]] = {pk: {} for pk, _ in responses}
    coded: dict[int, list[str]] = defaultdict(list)
    for answer_id, name in Answer.categories.through.objects.filter(
        answer__response__survey=survey
    ).values_list("answer_id", "category__name"):
        coded[answer_id].append(name)
    answers = Answer.objects.filter(response__survey=survey).values_list(
        "pk", "response_id", "question_id", "value", "unique_remark"
    )
    for answer_id, response_id, question_id, value, unique in answers:
        question = by_id.get(question_id)
        if question is None or response_id not in rows:
            continue
        if question.kind in s.TEXT and value is not None:
            value = s.CodedAnswer(
                text=str(value),
                categories=tuple(sorted(coded.get(answer_id, ()))),
                unique_remark=unique,
            )
        rows[response_id][question.key] = value
    return questions, [rows[pk] for pk, _ in responses], [at for _, at in responses]


def survey_summary(survey: Survey) -> s.SurveySummary:
    """The summary report of `survey` (a fixed number of queries, whatever its size)."""
    questions, rows, _ = response_rows(survey)
    return s.summarise([question_spec(q) for q in questions], rows)


def coding_screen(question: Question) -> tuple[list[Answer], list[Any]]:
    """The non-blank answers of an open question with their categories, and the categories
    with their counts (largest first)."""
    answers = [
        a
        for a in question.answers.exclude(value__isnull=True)
        .select_related("response")
        .prefetch_related("categories")
        .order_by("response__submitted_on", "response__submission_token", "pk")
        if str(a.value).strip()
    ]
    counts: dict[int, int] = defaultdict(int)
    for answer in answers:
        for category in answer.categories.all():
            counts[category.pk] += 1
    categories = sorted(
        question.categories.all(), key=lambda c: (-counts.get(c.pk, 0), c.name.lower())
    )
    for category in categories:
        category.count = counts.get(category.pk, 0)  # type: ignore[attr-defined]
    return answers, categories


def grouping_questions(survey: Survey) -> list[Question]:
    """The closed questions a breakdown can group by (yes/no and single choice)."""
    return [q for q in _ordered_questions(survey) if q.kind in breakdown.GROUP_KINDS]


def survey_breakdown(survey: Survey, by_key: str) -> breakdown.Breakdown:
    """Every other question per group of the answer to `by_key` (a grouping question)."""
    questions, rows, _ = response_rows(survey)
    return breakdown.breakdown(
        [question_spec(q) for q in questions],
        rows,
        by_key=by_key,
        minimum=survey.min_group_size,
    )


def _bound(value: Any) -> int | float:
    number = float(value)
    return int(number) if number.is_integer() else number


def _question_definition(q: Question) -> dict[str, Any]:
    """One question in the file format (selfscan/surveys/examples/), defaults left out."""
    out: dict[str, Any] = {"key": q.key, "text": q.text, "type": q.kind}
    if q.help_text:
        out["help"] = q.help_text
    if q.required:
        out["required"] = True
    if q.options:
        out["options"] = list(q.options)
    if q.scale_min is not None:
        out["min"] = q.scale_min
    if q.scale_max is not None:
        out["max"] = q.scale_max
    if q.bins:
        out["bins"] = [
            {"label": b["label"]}
            | {k: _bound(b[k]) for k in ("at_least", "below") if b.get(k) is not None}
            for b in q.bins
        ]
    if q.max_length is not None:
        out["max_length"] = q.max_length
    return out


def definition(survey: Survey) -> dict[str, Any]:
    """The survey as the YAML file format holds it: title, intro, smallest group, questions
    outside a section, then the sections with their questions (a section without questions
    is left out: the file format needs at least one). The key, dates and link are not part of
    the definition: a copy or a new installation gets its own."""
    questions = _ordered_questions(survey)
    meta: dict[str, Any] = {"title": survey.title}
    if survey.intro:
        meta["intro"] = survey.intro
    meta["min_group_size"] = survey.min_group_size
    out: dict[str, Any] = {"survey": meta}
    loose = [_question_definition(q) for q in questions if q.section_id is None]
    if loose:
        out["questions"] = loose
    sections = []
    for section in survey.sections.order_by("order", "pk"):
        inside = [_question_definition(q) for q in questions if q.section_id == section.pk]
        if inside:
            item: dict[str, Any] = {"title": section.title}
            if section.intro:
                item["intro"] = section.intro
            item["questions"] = inside
            sections.append(item)
    if sections:
        out["sections"] = sections
    return out


def definition_yaml(survey: Survey) -> str:
    return yaml.safe_dump(definition(survey), allow_unicode=True, sort_keys=False, width=100)
