"""The summary report of a survey, as plain functions: dataclasses in, numbers out.

No ORM here (the selector turns rows into `QuestionSpec` and value lists). Percentages are of
all respondents, so blanks are counted and shown, never dropped ("9× nee, 2× blanco"). For a
multiple-choice question each option's share is the share of respondents who ticked it (the
shares may add up to more than 100%). Numbers are formatted only at the edge (`nl_number`,
the template filter and the exports).
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

YES_NO = "yes_no"
SINGLE = "single_choice"
MULTIPLE = "multiple_choice"
GRADE = "grade"
NUMBER = "number"
SHORT_TEXT = "short_text"
LONG_TEXT = "long_text"
NUMERIC = {GRADE, NUMBER}
TEXT = {SHORT_TEXT, LONG_TEXT}

YES_LABEL = "ja"
NO_LABEL = "nee"
BLANK_LABEL = "blanco"


@dataclass(frozen=True)
class Bin:
    """A class of a distribution: at_least <= value < below (a missing bound is open)."""

    label: str
    at_least: float | None = None
    below: float | None = None

    def holds(self, value: float) -> bool:
        if self.at_least is not None and value < self.at_least:
            return False
        return not (self.below is not None and value >= self.below)


@dataclass(frozen=True)
class QuestionSpec:
    key: str
    text: str
    kind: str
    options: tuple[str, ...] = ()
    scale_min: int | None = None
    scale_max: int | None = None
    bins: tuple[Bin, ...] = ()
    section: str = ""


@dataclass(frozen=True)
class CodedAnswer:
    """An open answer with the categories staff gave it."""

    text: str
    categories: tuple[str, ...] = ()
    unique_remark: bool = False


@dataclass(frozen=True)
class Count:
    label: str
    count: int
    percent: float
    value: float | None = None  # the number itself, for a distribution per value


@dataclass(frozen=True)
class NumericStats:
    answered: int
    mean: float | None
    median: float | None
    modes: tuple[float, ...]
    minimum: float | None
    maximum: float | None
    bins: tuple[Count, ...]
    values: tuple[Count, ...]  # every grade of the scale (grades) or every value given (numbers)


@dataclass(frozen=True)
class QuestionSummary:
    spec: QuestionSpec
    respondents: int
    answered: int
    blanks: int
    counts: tuple[Count, ...] = ()  # yes/no and choices, blank last
    stats: NumericStats | None = None
    answers: tuple[CodedAnswer, ...] = ()
    categories: tuple[Count, ...] = ()  # largest first
    unique_remarks: int = 0
    uncoded: int = 0

    @property
    def blank_percent(self) -> float:
        return percent(self.blanks, self.respondents)


@dataclass(frozen=True)
class SurveySummary:
    respondents: int
    questions: tuple[QuestionSummary, ...] = field(default_factory=tuple)


def percent(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else 0.0


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str | list | tuple) and len(value) == 0:
        return True
    return isinstance(value, CodedAnswer) and not value.text.strip()


def _counts(pairs: Sequence[tuple[str, int]], blanks: int, respondents: int) -> tuple[Count, ...]:
    rows = [Count(label, count, percent(count, respondents)) for label, count in pairs]
    rows.append(Count(BLANK_LABEL, blanks, percent(blanks, respondents)))
    return tuple(rows)


def _number(value: Any) -> float:
    number = float(value)
    return int(number) if number.is_integer() else number


def numeric_stats(spec: QuestionSpec, values: Sequence[Any], respondents: int) -> NumericStats:
    """Mean, median, every mode (sorted, all of them when tied), extremes and bins."""
    numbers = [_number(v) for v in values if not is_blank(v)]
    bins = tuple(
        Count(b.label, n, percent(n, respondents))
        for b in spec.bins
        for n in [sum(1 for x in numbers if b.holds(x))]
    )
    tally = Counter(numbers)
    if spec.kind == GRADE and spec.scale_min is not None and spec.scale_max is not None:
        keys: list[float] = list(range(spec.scale_min, spec.scale_max + 1))
    else:
        keys = sorted(tally)
    value_counts = tuple(
        Count(str(k), tally[k], percent(tally[k], respondents), value=k) for k in keys
    )
    if not numbers:
        return NumericStats(0, None, None, (), None, None, bins, value_counts)
    return NumericStats(
        answered=len(numbers),
        mean=statistics.fmean(numbers),
        median=_number(statistics.median(numbers)),
        modes=tuple(sorted(statistics.multimode(numbers))),
        minimum=min(numbers),
        maximum=max(numbers),
        bins=bins,
        values=value_counts,
    )


def coded_categories(answers: Sequence[CodedAnswer]) -> tuple[Count, ...]:
    """Category counts, largest first (then by name); an answer counts once per category."""
    tally: Counter[str] = Counter()
    for answer in answers:
        tally.update(set(answer.categories))
    total = len(answers)
    ordered = sorted(tally.items(), key=lambda item: (-item[1], item[0].lower()))
    return tuple(Count(name, count, percent(count, total)) for name, count in ordered)


def summarise_question(spec: QuestionSpec, values: Sequence[Any]) -> QuestionSummary:
    """Summarise one question; `values` has one entry per respondent (None for a blank).

    Yes/no values are bools, single choice a label, multiple choice a list of labels, grades
    and numbers numbers, open text a `CodedAnswer` (or a str).
    """
    respondents = len(values)
    given = [v for v in values if not is_blank(v)]
    blanks = respondents - len(given)
    common: dict[str, Any] = {
        "spec": spec,
        "respondents": respondents,
        "answered": len(given),
        "blanks": blanks,
    }
    if spec.kind == YES_NO:
        yes = sum(1 for v in given if v is True)
        no = sum(1 for v in given if v is False)
        return QuestionSummary(
            **common, counts=_counts([(YES_LABEL, yes), (NO_LABEL, no)], blanks, respondents)
        )
    if spec.kind == SINGLE:
        tally = Counter(given)
        pairs = [(option, tally[option]) for option in spec.options]
        return QuestionSummary(**common, counts=_counts(pairs, blanks, respondents))
    if spec.kind == MULTIPLE:
        tally = Counter(option for v in given for option in set(v))
        pairs = [(option, tally[option]) for option in spec.options]
        return QuestionSummary(**common, counts=_counts(pairs, blanks, respondents))
    if spec.kind in NUMERIC:
        return QuestionSummary(**common, stats=numeric_stats(spec, values, respondents))
    answers = tuple(v if isinstance(v, CodedAnswer) else CodedAnswer(str(v)) for v in given)
    return QuestionSummary(
        **common,
        answers=answers,
        categories=coded_categories(answers),
        unique_remarks=sum(1 for a in answers if a.unique_remark),
        uncoded=sum(1 for a in answers if not a.categories and not a.unique_remark),
    )


def summarise(specs: Sequence[QuestionSpec], responses: Sequence[dict[str, Any]]) -> SurveySummary:
    """The whole report: `responses` is one dict per response, question key -> value."""
    return SurveySummary(
        respondents=len(responses),
        questions=tuple(
            summarise_question(spec, [response.get(spec.key) for response in responses])
            for spec in specs
        ),
    )


# --- formatting at the edge ------------------------------------------------------------------


def nl_number(value: float | int | None, decimals: int | None = None) -> str:
    """Dutch notation: decimal comma, no thousands separator below 10,000 ("3,64", "4,5").

    With `decimals` None a number gets at most two decimals and no trailing zeros.
    """
    if value is None:
        return "–"
    number = Decimal(str(value))
    trim = decimals is None
    quantum = Decimal(1).scaleb(-(2 if decimals is None else decimals))
    text = f"{number.quantize(quantum, rounding=ROUND_HALF_UP):f}"
    whole, _, fraction = text.partition(".")
    if trim:
        fraction = fraction.rstrip("0")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    if len(digits) > 4:
        groups: list[str] = []
        while digits:
            groups.insert(0, digits[-3:])
            digits = digits[:-3]
        digits = ".".join(groups)
    return sign + digits + ("," + fraction if fraction else "")


def nl_percent(value: float) -> str:
    """A percentage with one decimal and a decimal comma: "85,1%"."""
    return nl_number(value, 1) + "%"


def count_line(counts: Sequence[Count]) -> str:
    """The report's short form: "86× ja, 13× nee, 2× blanco"."""
    return ", ".join(f"{c.count}× {c.label}" for c in counts)
