"""Anonymous stakeholder surveys: a survey has sections and questions; a response has answers.

Privacy by design: a response holds its answers, the day it arrived (never the time: in a small
group a time can point at a person, decision 0052) and a random submission token (to store a
double post once). No IP address, user agent, cookie value or user is stored.

A survey made in the staff UI (or copied) starts as a *concept*: nobody can answer it until it has
questions and staff open it explicitly; `opens_at`/`closes_at` then schedule the window
(decision 0200).
"""

from __future__ import annotations

import secrets
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_public_token() -> str:
    return secrets.token_urlsafe(24)


class Survey(models.Model):
    key = models.SlugField(
        _("sleutel"),
        max_length=80,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Optioneel; een bestand met dezelfde sleutel werkt de vragenlijst bij."),
    )
    title = models.CharField(_("titel"), max_length=200)
    intro = models.TextField(_("inleiding"), blank=True)
    public_token = models.CharField(max_length=64, unique=True, default=new_public_token)
    concept = models.BooleanField(
        _("concept"),
        default=False,
        help_text=_(
            "Een concept kan niemand invullen; open de vragenlijst als de vragen klaar zijn."
        ),
    )
    opens_at = models.DateTimeField(_("open vanaf"), null=True, blank=True)
    closes_at = models.DateTimeField(_("gesloten vanaf"), null=True, blank=True)
    min_group_size = models.PositiveSmallIntegerField(
        _("kleinste groep"),
        default=5,
        help_text=_(
            "Bij een uitsplitsing wordt een groep met minder reacties nooit apart getoond "
            "(samengevoegd tot 'overig')."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("vragenlijst")
        verbose_name_plural = _("vragenlijsten")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def status(self) -> str:
        """ "concept", "scheduled" (opens later), "open" or "closed"."""
        now = timezone.now()
        if self.concept:
            return "concept"
        if self.opens_at and now < self.opens_at:
            return "scheduled"
        return "open" if self.is_open(now) else "closed"

    def is_open(self, now: Any = None) -> bool:
        now = now or timezone.now()
        if self.concept:
            return False
        if self.opens_at and now < self.opens_at:
            return False
        return not (self.closes_at and now >= self.closes_at)


class Section(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("titel"), max_length=200)
    intro = models.TextField(_("toelichting"), blank=True)
    order = models.PositiveIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("onderdeel")
        verbose_name_plural = _("onderdelen")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    YES_NO = "yes_no", _("Ja/nee")
    SINGLE = "single_choice", _("Eén keuze")
    MULTIPLE = "multiple_choice", _("Meer keuzes")
    GRADE = "grade", _("Cijfer")
    NUMBER = "number", _("Getal")
    SHORT_TEXT = "short_text", _("Korte tekst")
    LONG_TEXT = "long_text", _("Lange tekst")


CHOICE_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE}
NUMERIC_KINDS = {QuestionKind.GRADE, QuestionKind.NUMBER}
TEXT_KINDS = {QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT}
DEFAULT_MAX_LENGTH = {QuestionKind.SHORT_TEXT: 200, QuestionKind.LONG_TEXT: 2000}


class Question(models.Model):
    """One question. Options, range and bins are plain data validated by the services.

    `options`: list of option labels (choices). `bins`: list of {"label", "at_least", "below"}
    (either bound may be null), for grades and numbers.
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(
        Section,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("onderdeel"),
    )
    key = models.SlugField(_("sleutel"), max_length=80)
    text = models.CharField(_("vraag"), max_length=500)
    help_text = models.CharField(_("toelichting"), max_length=500, blank=True)
    kind = models.CharField(_("soort"), max_length=20, choices=QuestionKind.choices)
    required = models.BooleanField(_("verplicht"), default=False)
    order = models.PositiveIntegerField(_("volgorde"), default=0)
    options = models.JSONField(default=list, blank=True)
    scale_min = models.IntegerField(_("laagste cijfer"), null=True, blank=True)
    scale_max = models.IntegerField(_("hoogste cijfer"), null=True, blank=True)
    bins = models.JSONField(default=list, blank=True)
    max_length = models.PositiveIntegerField(_("maximale lengte"), null=True, blank=True)

    class Meta:
        verbose_name = _("vraag")
        verbose_name_plural = _("vragen")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "key"], name="survey_question_key_unique")
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text_limit(self) -> int:
        return self.max_length or DEFAULT_MAX_LENGTH.get(self.kind, 2000)  # type: ignore[call-overload]


class Response(models.Model):
    """One anonymous response. Deliberately no IP address, user agent or user, and only the
    day it came in (no time: in a small group a time can point at a person; decision 0052)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    submission_token = models.CharField(max_length=64)
    submitted_on = models.DateField(_("ingevuld op"), default=timezone.localdate)

    class Meta:
        verbose_name = _("reactie")
        verbose_name_plural = _("reacties")
        # Within a day by the random submission token, not by arrival (which the primary key
        # would give away): the order of the responses says nothing about who answered when.
        ordering = ["submitted_on", "submission_token"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "submission_token"], name="survey_submission_token_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}-{self.pk}"


class Category(models.Model):
    """A code staff give to open answers of one question."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("naam"), max_length=200)

    class Meta:
        verbose_name = _("categorie")
        verbose_name_plural = _("categorieën")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["question", "name"], name="category_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Answer(models.Model):
    """The answer to one question. `value` is None for a blank; else bool (yes/no), str (single
    choice, text), list of str (multiple choice) or a number (grade, number)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.JSONField(null=True, blank=True)
    categories = models.ManyToManyField(Category, blank=True, related_name="answers")
    unique_remark = models.BooleanField(_("unieke opmerking"), default=False)

    class Meta:
        verbose_name = _("antwoord")
        verbose_name_plural = _("antwoorden")
        ordering = ["response_id", "question__order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.response_id}-{self.question_id}"
