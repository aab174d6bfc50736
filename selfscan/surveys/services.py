"""Writes of the surveys app: definitions (file or staff UI), responses and coding.

Each service owns its transaction and audit record. Responses are anonymous: the audit log
records staff actions only, never a respondent, and no log line carries request data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from selfscan.audit.services import record
from selfscan.core.yamldata import FileError, parse

from .models import Answer, Category, Question, Response, Section, Survey
from .schema import QuestionSchema, SurveyFile, check_definition


class SurveyError(Exception):
    """A user mistake with a message in the active language (Dutch source); nothing changed."""


# --- definitions from a file ----------------------------------------------------------------


@dataclass
class LoadResult:
    survey: Survey | None
    errors: list[FileError]
    created: bool = False


def _aware(value: dt.datetime | dt.date | None) -> dt.datetime | None:
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time.min)
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def _question_fields(q: QuestionSchema) -> dict[str, Any]:
    return {
        "key": q.key,
        "text": q.text,
        "help_text": q.help,
        "kind": q.type,
        "required": q.required,
        "options": [o.strip() for o in q.options],
        "scale_min": q.min,
        "scale_max": q.max,
        "bins": [b.model_dump() for b in q.bins],
        "max_length": q.max_length,
    }


def load_survey_file(content: bytes, *, filename: str, by: Any = None) -> LoadResult:
    """Validate a YAML definition and store it as a survey, all or nothing.

    A file whose `survey.key` names an existing survey replaces that survey's title, dates,
    sections and questions, unless it already has responses (then nothing changes).
    """
    parsed = parse(content, SurveyFile, filename)
    check_definition(parsed)
    if parsed.errors or parsed.model is None:
        return LoadResult(None, parsed.errors)
    model = parsed.model
    meta = model.survey
    with transaction.atomic():
        survey = (
            Survey.objects.select_for_update().filter(key=meta.key).first() if meta.key else None
        )
        created = survey is None
        if survey is not None and survey.responses.exists():
            parsed.error_at(
                ("survey", "key"),
                _(
                    "de vragenlijst '%(key)s' heeft al reacties; de vragen liggen vast. "
                    "Gebruik een nieuwe sleutel voor een nieuwe vragenlijst."
                )
                % {"key": meta.key},
            )
            return LoadResult(None, parsed.errors)
        if survey is None:
            survey = Survey(
                key=meta.key or None, created_by=by if getattr(by, "pk", None) else None
            )
        survey.title = meta.title
        survey.intro = meta.intro
        survey.opens_at = _aware(meta.opens)
        survey.closes_at = _aware(meta.closes)
        survey.min_group_size = meta.min_group_size
        survey.save()
        survey.questions.all().delete()
        survey.sections.all().delete()
        order = 0
        for q in model.questions:
            order += 1
            Question.objects.create(survey=survey, order=order, **_question_fields(q))
        for s_order, s in enumerate(model.sections, start=1):
            section = Section.objects.create(
                survey=survey, title=s.title, intro=s.intro, order=s_order
            )
            for q in s.questions:
                order += 1
                Question.objects.create(
                    survey=survey, section=section, order=order, **_question_fields(q)
                )
        record(
            actor=by,
            action="survey.loaded" if created else "survey.reloaded",
            obj=survey,
            changes={"file": filename, "questions": order},
        )
    return LoadResult(survey, [], created)


# --- definitions in the staff UI ---------------------------------------------------------------


def structure_locked(survey: Survey) -> bool:
    """Once responses exist, questions cannot be added, changed in kind/options, or removed."""
    return survey.responses.exists()


SURVEY_FIELDS = ("title", "intro", "opens_at", "closes_at", "min_group_size")


def create_survey(*, by: Any, title: str, intro: str = "", **dates: Any) -> Survey:
    """A new, empty survey with a fresh unguessable link, as a concept: nobody can answer it
    until it has questions and staff open it (`open_survey`)."""
    with transaction.atomic():
        survey = Survey.objects.create(
            title=title, intro=intro, created_by=by, concept=True, **dates
        )
        record(actor=by, action="survey.created", obj=survey)
    return survey


def update_survey(survey: Survey, *, by: Any, **fields: Any) -> Survey:
    """Change title, intro and dates (opening and closing also work after responses)."""
    with transaction.atomic():
        changes = {}
        for name in SURVEY_FIELDS:
            if name in fields and getattr(survey, name) != fields[name]:
                changes[name] = [str(getattr(survey, name)), str(fields[name])]
                setattr(survey, name, fields[name])
        survey.save()
        record(actor=by, action="survey.updated", obj=survey, changes=changes)
    return survey


def copy_survey(survey: Survey, *, by: Any) -> Survey:
    """A new concept with the same intro, smallest group, sections, questions (options, scale,
    bins) and coding categories; no responses, no key, no dates, a new link. The title gets
    " (kopie)" so the two can be told apart."""
    with transaction.atomic():
        copy = Survey.objects.create(
            title=_("%(title)s (kopie)") % {"title": survey.title},
            intro=survey.intro,
            min_group_size=survey.min_group_size,
            concept=True,
            created_by=by if getattr(by, "pk", None) else None,
        )
        sections = {}
        for section in survey.sections.order_by("order", "pk"):
            sections[section.pk] = Section.objects.create(
                survey=copy, title=section.title, intro=section.intro, order=section.order
            )
        for question in survey.questions.order_by("order", "pk").prefetch_related("categories"):
            new = Question.objects.create(
                survey=copy,
                section=sections.get(question.section_id) if question.section_id else None,
                key=question.key,
                text=question.text,
                help_text=question.help_text,
                kind=question.kind,
                required=question.required,
                order=question.order,
                options=list(question.options or []),
                scale_min=question.scale_min,
                scale_max=question.scale_max,
                bins=[dict(b) for b in question.bins or []],
                max_length=question.max_length,
            )
            Category.objects.bulk_create(
                Category(question=new, name=c.name) for c in question.categories.all()
            )
        record(actor=by, action="survey.copied", obj=copy, changes={"from": survey.pk})
    return copy


def open_survey(survey: Survey, *, by: Any) -> Survey:
    """Open a concept or closed survey explicitly. It needs at least one question. A future
    `opens_at` is kept (then the survey opens at that moment: scheduled); a closing moment
    in the past is cleared."""
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if not survey.questions.exists():
            raise SurveyError(
                _("Voeg eerst vragen toe; een vragenlijst zonder vragen gaat niet open.")
            )
        now = timezone.now()
        changes: dict[str, Any] = {}
        if survey.concept:
            survey.concept = False
            changes["concept"] = [True, False]
        if survey.closes_at and survey.closes_at <= now:
            changes["closes_at"] = [str(survey.closes_at), None]
            survey.closes_at = None
        survey.save()
        record(actor=by, action="survey.opened", obj=survey, changes=changes)
    return survey


def close_now(survey: Survey, *, by: Any) -> Survey:
    return update_survey(survey, by=by, closes_at=timezone.now())


def _next_order(queryset: Any) -> int:
    return int(queryset.aggregate(m=Max("order"))["m"] or 0) + 1


def save_section(
    survey: Survey, *, by: Any, title: str, intro: str = "", section: Section | None = None
) -> Section:
    with transaction.atomic():
        if section is None:
            section = Section.objects.create(
                survey=survey, title=title, intro=intro, order=_next_order(survey.sections)
            )
            record(actor=by, action="survey.section_added", obj=survey, changes={"title": title})
        else:
            section.title, section.intro = title, intro
            section.save()
            record(actor=by, action="survey.section_changed", obj=survey, changes={"title": title})
    return section


def delete_section(section: Section, *, by: Any) -> None:
    """Remove a section; its questions stay, without a section (answers are untouched)."""
    with transaction.atomic():
        record(
            actor=by,
            action="survey.section_deleted",
            obj=section.survey,
            changes={"title": section.title},
        )
        section.delete()


def save_question(
    survey: Survey, *, by: Any, fields: dict[str, Any], question: Question | None = None
) -> Question:
    """Add or change a question. After responses only wording, help and section may change."""
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        locked = structure_locked(survey)
        if question is None:
            if locked:
                raise SurveyError(_("Er zijn al reacties; u kunt geen vragen meer toevoegen."))
            question = Question(survey=survey, order=_next_order(survey.questions))
        elif locked:
            structural = ("kind", "options", "scale_min", "scale_max", "key", "required")
            if any(fields.get(f, getattr(question, f)) != getattr(question, f) for f in structural):
                raise SurveyError(
                    _(
                        "Er zijn al reacties; alleen de tekst, toelichting, klassen en het "
                        "onderdeel van een vraag kunnen nog veranderen."
                    )
                )
        if (
            Question.objects.filter(survey=survey, key=fields.get("key", question.key))
            .exclude(pk=question.pk)
            .exists()
        ):
            raise SurveyError(_("Deze sleutel is al in gebruik bij een andere vraag."))
        for name, value in fields.items():
            setattr(question, name, value)
        question.save()
        record(actor=by, action="survey.question_saved", obj=survey, changes={"key": question.key})
    return question


def delete_question(question: Question, *, by: Any) -> None:
    with transaction.atomic():
        if structure_locked(question.survey):
            raise SurveyError(_("Er zijn al reacties; vragen kunnen niet meer worden verwijderd."))
        record(
            actor=by,
            action="survey.question_deleted",
            obj=question.survey,
            changes={"key": question.key},
        )
        question.delete()


def move(item: Question | Section, *, by: Any, direction: str) -> None:
    """Swap an item with its neighbour (up or down) in its list; renumbers first, so old
    duplicates in `order` cannot make a move do nothing."""
    with transaction.atomic():
        model: Any = type(item)
        siblings = list(model.objects.select_for_update().filter(survey_id=item.survey_id))
        siblings.sort(key=lambda s: (s.order, s.pk))
        index = next(i for i, s in enumerate(siblings) if s.pk == item.pk)
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(siblings):
            siblings[index], siblings[other] = siblings[other], siblings[index]
        for number, sibling in enumerate(siblings, start=1):
            if sibling.order != number:
                model.objects.filter(pk=sibling.pk).update(order=number)
        record(
            actor=by,
            action="survey.reordered",
            obj=item.survey,
            changes={"item": str(item), "direction": direction},
        )


# --- responses ------------------------------------------------------------------------------


def submit_response(
    survey: Survey, *, submission_token: str, values: dict[int, Any]
) -> tuple[Response, bool]:
    """Store one anonymous response (question id -> cleaned value, None for blank).

    Idempotent per submission token: a second post with the same token returns the stored
    response and `created=False`. Raises SurveyError when the survey is not open.
    """
    if not survey.is_open():
        raise SurveyError(_("Deze vragenlijst is gesloten; uw antwoorden zijn niet opgeslagen."))
    existing = Response.objects.filter(survey=survey, submission_token=submission_token).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            response = Response.objects.create(survey=survey, submission_token=submission_token)
            Answer.objects.bulk_create(
                Answer(response=response, question_id=question_id, value=value)
                for question_id, value in values.items()
            )
    except IntegrityError:
        # The same token raced in from a double click: the other request stored it.
        return Response.objects.get(survey=survey, submission_token=submission_token), False
    return response, True


# --- coding open answers ----------------------------------------------------------------------


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise SurveyError(_("Geef de categorie een naam."))
    if len(name) > 200:
        raise SurveyError(_("De naam is te lang (hoogstens 200 tekens)."))
    return name


def create_category(question: Question, *, by: Any, name: str) -> Category:
    name = _clean_name(name)
    with transaction.atomic():
        if question.categories.filter(name__iexact=name).exists():
            raise SurveyError(_("De categorie '%(name)s' bestaat al.") % {"name": name})
        category = Category.objects.create(question=question, name=name)
        record(
            actor=by, action="survey.category_created", obj=question.survey, changes={"name": name}
        )
    return category


def add_category_keeping_ticks(
    question: Question,
    *,
    by: Any,
    name: str,
    coding: Mapping[int, tuple[Iterable[int], bool]],
) -> Category:
    """Add a category and save the ticks posted with it, in one transaction: adding a missing
    category halfway through coding never throws unsaved ticks away (all or nothing)."""
    with transaction.atomic():
        category = create_category(question, by=by, name=name)
        if coding:
            code_answers(question, by=by, coding=coding)
    return category


def rename_category(category: Category, *, by: Any, name: str) -> Category:
    """Rename; the assignments stay (they point at the category, not at its name)."""
    name = _clean_name(name)
    with transaction.atomic():
        if (
            Category.objects.filter(question_id=category.question_id, name__iexact=name)
            .exclude(pk=category.pk)
            .exists()
        ):
            raise SurveyError(
                _("De categorie '%(name)s' bestaat al; voeg de twee samen in plaats van hernoemen.")
                % {"name": name}
            )
        old = category.name
        category.name = name
        category.save(update_fields=["name"])
        record(
            actor=by,
            action="survey.category_renamed",
            obj=category.question.survey,
            changes={"name": [old, name]},
        )
    return category


def merge_categories(source: Category, target: Category, *, by: Any) -> Category:
    """Move every answer of `source` into `target` and remove `source`.

    The merged count is the number of answers in either (an answer coded with both counts once).
    """
    if source.pk == target.pk or source.question_id != target.question_id:
        raise SurveyError(_("Kies twee verschillende categorieën van dezelfde vraag."))
    with transaction.atomic():
        through = Answer.categories.through
        already = through.objects.filter(category=target).values("answer_id")
        through.objects.filter(category=source).exclude(answer_id__in=already).update(
            category=target
        )
        record(
            actor=by,
            action="survey.categories_merged",
            obj=target.question.survey,
            changes={"from": source.name, "into": target.name},
        )
        source.delete()
    return target


def code_answers(
    question: Question,
    *,
    by: Any,
    coding: Mapping[int, tuple[Iterable[int], bool]],
) -> int:
    """Set categories and the unique-remark mark of answers of `question` (answer id ->
    (category ids, unique)). Ids of other questions are refused. Returns answers changed."""
    with transaction.atomic():
        answers = {
            a.pk: a for a in question.answers.filter(pk__in=coding).prefetch_related("categories")
        }
        valid_categories = set(question.categories.values_list("pk", flat=True))
        if set(coding) - set(answers):
            raise SurveyError(_("Een of meer antwoorden horen niet bij deze vraag."))
        changed = 0
        for answer_id, (category_ids, unique) in coding.items():
            wanted = set(category_ids)
            if wanted - valid_categories:
                raise SurveyError(_("Een of meer categorieën horen niet bij deze vraag."))
            answer = answers[answer_id]
            current = {c.pk for c in answer.categories.all()}
            if current != wanted or answer.unique_remark != unique:
                answer.categories.set(wanted)
                if answer.unique_remark != unique:
                    Answer.objects.filter(pk=answer.pk).update(unique_remark=unique)
                changed += 1
        if changed:
            record(
                actor=by,
                action="survey.answers_coded",
                obj=question.survey,
                changes={"question": question.key, "answers": changed},
            )
    return changed
