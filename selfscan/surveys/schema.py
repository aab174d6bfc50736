"""The YAML format of a survey definition (see selfscan/surveys/examples/), validated strictly.

Structure errors come from pydantic (translated by `selfscan.core.yamldata`); the rules that
span fields (options for choices, a range for grades, bins in order, unique keys) are checked
in `check_definition`, each reported at the line of the element concerned.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from selfscan.core.yamldata import ParsedFile

Kind = Literal[
    "yes_no", "single_choice", "multiple_choice", "grade", "number", "short_text", "long_text"
]
MAX_TEXT_LENGTH = 5000


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BinSchema(Strict):
    """A class: `at_least` <= value < `below`; `at_least` inclusive, `below` exclusive."""

    label: str = Field(min_length=1, max_length=100)
    at_least: float | None = None
    below: float | None = None


class QuestionSchema(Strict):
    key: str = Field(min_length=1, max_length=80, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    text: str = Field(min_length=1, max_length=500)
    type: Kind
    help: str = Field(default="", max_length=500)
    required: bool = False
    options: list[str] = Field(default_factory=list)
    min: int | None = None
    max: int | None = None
    bins: list[BinSchema] = Field(default_factory=list)
    max_length: int | None = Field(default=None, ge=1, le=MAX_TEXT_LENGTH)


class SectionSchema(Strict):
    title: str = Field(min_length=1, max_length=200)
    intro: str = ""
    questions: list[QuestionSchema] = Field(min_length=1)


class SurveyMeta(Strict):
    """`opens`/`closes` are moments; a bare date is the start of that day (00:00), so
    `closes: 2026-03-01` makes 28 February the last day to answer."""

    key: str | None = Field(default=None, max_length=80, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    title: str = Field(min_length=1, max_length=200)
    intro: str = ""
    opens: dt.datetime | dt.date | None = None
    closes: dt.datetime | dt.date | None = None
    min_group_size: int = Field(default=5, ge=1, le=1000)


class SurveyFile(Strict):
    survey: SurveyMeta
    questions: list[QuestionSchema] = Field(default_factory=list)
    sections: list[SectionSchema] = Field(default_factory=list)


def question_problems(
    *,
    kind: str,
    options: list[str],
    scale_min: int | None,
    scale_max: int | None,
    bins: list[tuple[str, float | None, float | None]],
) -> list[tuple[str, str]]:
    """Cross-field rules of one question, shared by the file loader and the staff forms.

    Returns (field, message) pairs in the active language (Dutch is the source); field is
    "options", "min", "max" or "bins".
    """
    problems: list[tuple[str, str]] = []
    if kind in {"single_choice", "multiple_choice"}:
        if len(options) < 2:
            problems.append(("options", _("een keuzevraag heeft minstens twee opties")))
        seen: set[str] = set()
        for option in options:
            if not option.strip():
                problems.append(("options", _("een optie mag niet leeg zijn")))
            elif option.strip().lower() in seen:
                problems.append(
                    ("options", _("de optie '%(option)s' komt dubbel voor") % {"option": option})
                )
            seen.add(option.strip().lower())
    elif options:
        problems.append(("options", _("alleen keuzevragen hebben opties")))
    if kind == "grade":
        if scale_min is None or scale_max is None:
            problems.append(
                ("min", _("een cijfervraag heeft een laagste (min) en hoogste (max) cijfer"))
            )
        elif scale_max <= scale_min:
            problems.append(("max", _("het hoogste cijfer moet groter zijn dan het laagste")))
        elif scale_max - scale_min > 100:
            problems.append(("max", _("een cijferschaal heeft hoogstens 101 waarden")))
    elif kind == "number":
        if scale_min is not None and scale_max is not None and scale_max < scale_min:
            problems.append(("max", _("het maximum moet minstens het minimum zijn")))
    elif scale_min is not None or scale_max is not None:
        problems.append(("min", _("alleen cijfer- en getalvragen hebben een min en max")))
    if bins and kind not in {"grade", "number"}:
        problems.append(("bins", _("alleen cijfer- en getalvragen hebben klassen (bins)")))
    labels: set[str] = set()
    for label, at_least, below in bins:
        if at_least is None and below is None:
            problems.append(
                (
                    "bins",
                    _("klasse '%(label)s' heeft geen grens (at_least of below)") % {"label": label},
                )
            )
        if at_least is not None and below is not None and below <= at_least:
            problems.append(
                (
                    "bins",
                    _("klasse '%(label)s': below moet groter zijn dan at_least") % {"label": label},
                )
            )
        if label in labels:
            problems.append(("bins", _("klasse '%(label)s' komt dubbel voor") % {"label": label}))
        labels.add(label)
    return problems


def _raw_questions(data: Any) -> list[tuple[tuple[str | int, ...], QuestionSchema]]:
    """Questions that validate on their own, found in the raw data (used when the file as a
    whole failed validation, so that their cross-field problems are reported too)."""
    found: list[tuple[tuple[str | int, ...], Any]] = []
    if isinstance(data, dict):
        if isinstance(data.get("questions"), list):
            found += [(("questions", i), q) for i, q in enumerate(data["questions"])]
        if isinstance(data.get("sections"), list):
            for n, section in enumerate(data["sections"]):
                if isinstance(section, dict) and isinstance(section.get("questions"), list):
                    found += [
                        (("sections", n, "questions", i), q)
                        for i, q in enumerate(section["questions"])
                    ]
    valid: list[tuple[tuple[str | int, ...], QuestionSchema]] = []
    for path, raw in found:
        try:
            valid.append((path, QuestionSchema.model_validate(raw)))
        except ValidationError:
            continue  # already reported by the file's validation
    return valid


def check_definition(parsed: ParsedFile[SurveyFile]) -> None:
    """Rules pydantic cannot express; every problem is added to `parsed.errors`.

    When the file failed validation, the questions that are valid on their own are still
    checked, so one upload reports as many problems as possible.
    """
    model = parsed.model
    if model is None:
        located = _raw_questions(parsed.data)
    else:
        # Both may be given (as the staff pages allow): the top-level questions come first,
        # without a section, then the sections; that is also how a survey is written out.
        if not model.questions and not model.sections:
            parsed.error_at(
                ("survey",), _("de vragenlijst heeft geen vragen ('questions' of 'sections')")
            )
        meta = model.survey
        if meta.opens and meta.closes and _as_datetime(meta.closes) <= _as_datetime(meta.opens):
            parsed.error_at(
                ("survey", "closes"), _("de sluitdatum moet na de openingsdatum liggen")
            )
        located = [(("questions", i), q) for i, q in enumerate(model.questions)] + [
            (("sections", s, "questions", i), q)
            for s, section in enumerate(model.sections)
            for i, q in enumerate(section.questions)
        ]
    keys: set[str] = set()
    for path, question in located:
        if question.key in keys:
            parsed.error_at(
                (*path, "key"), _("de sleutel '%(key)s' komt dubbel voor") % {"key": question.key}
            )
        keys.add(question.key)
        for where, message in question_problems(
            kind=question.type,
            options=question.options,
            scale_min=question.min,
            scale_max=question.max,
            bins=[(b.label, b.at_least, b.below) for b in question.bins],
        ):
            parsed.error_at((*path, where), message)
        if question.max_length and question.type not in {"short_text", "long_text"}:
            parsed.error_at((*path, "max_length"), _("alleen open vragen hebben een max_length"))


def _as_datetime(value: dt.datetime | dt.date) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
