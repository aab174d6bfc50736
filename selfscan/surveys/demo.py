"""Demo survey: the example definition with 101 fictional responses and coded open answers.

Idempotent: the survey is loaded once; responses use fixed submission tokens, so a second run
stores nothing new; categories and codes are set only where missing.
"""

import datetime as dt
import random
from pathlib import Path
from typing import Any

from django.utils import timezone

from selfscan.core.demo import DemoLogin, Log

from . import services
from .models import Answer, Category, Survey

EXAMPLE = Path(__file__).resolve().parent / "examples" / "ondersteuningsplan-2026.yaml"
KEY = "ondersteuningsplan-2026"
RESPONSES = 101

# Fictional open answers, each with the category it gets in the demo (None: a unique remark).
REMARKS: list[tuple[str, str | None]] = [
    ("Minder formulieren voor een arrangement.", "Minder administratieve last"),
    ("Het aanvragen van ondersteuning kost te veel papierwerk.", "Minder administratieve last"),
    ("Eén dossier in plaats van drie systemen.", "Minder administratieve last"),
    ("Jeugdhulp en school moeten elkaar beter kennen.", "Partners verbinden"),
    ("Korte lijnen met het wijkteam.", "Partners verbinden"),
    ("Een vaste contactpersoon bij het samenwerkingsverband.", "Partners verbinden"),
    ("Meer handen in de klas bij grote groepen.", "Meer handen in de klas"),
    ("Onderwijsassistenten voor de onderbouw.", "Meer handen in de klas"),
    ("Scholing over meertaligheid voor het hele team.", "Scholing"),
    ("Een leerlijn over hoogbegaafdheid die alle scholen delen.", None),
    ("Een rustige ruimte in elke school.", None),
]


def _values(survey: Survey, rng: random.Random, number: int) -> dict[int, Any]:
    by_key = {q.key: q for q in survey.questions.all()}
    roles = by_key["rol"].options
    themes = by_key["thema"].options
    values: dict[int, Any] = {
        by_key["rol"].pk: rng.choice(roles),
        by_key["gehoord"].pk: rng.random() < 0.85,
        by_key["campus"].pk: None if rng.random() < 0.05 else rng.random() < 0.7,
        by_key["droom"].pk: rng.choice([3, 4, 4, 5, 5, 5, 4, 5]),
        by_key["haalbaarheid"].pk: None if rng.random() < 0.1 else rng.randint(2, 9),
        by_key["thema"].pk: sorted(rng.sample(themes, rng.randint(0, 3)), key=themes.index) or None,
        by_key["uren"].pk: None if rng.random() < 0.2 else rng.randint(1, 16),
        by_key["verbetering"].pk: (
            REMARKS[number % len(REMARKS)][0] if rng.random() < 0.45 else None
        ),
    }
    return values


def load(log: Log) -> list[DemoLogin]:
    survey = Survey.objects.filter(key=KEY).first()
    if survey is None:
        result = services.load_survey_file(EXAMPLE.read_bytes(), filename=EXAMPLE.name)
        if result.survey is None:
            raise RuntimeError("; ".join(str(e) for e in result.errors))
        survey = result.survey
    rng = random.Random(2026)
    start = timezone.now() - dt.timedelta(days=3)
    created = 0
    for number in range(RESPONSES):
        values = _values(survey, rng, number)
        response, new = services.submit_response(
            survey, submission_token=f"demo-{number:06d}", values=values
        )
        if new:
            created += 1
            # Spread over three days (only the day is stored).
            response.submitted_on = timezone.localdate(start + dt.timedelta(minutes=40 * number))
            response.save(update_fields=["submitted_on"])
    question = survey.questions.get(key="verbetering")
    categories = {
        name: Category.objects.get_or_create(question=question, name=name)[0]
        for name in {c for _, c in REMARKS if c}
    }
    category_of = dict(REMARKS)
    for answer in question.answers.exclude(value__isnull=True).prefetch_related("categories"):
        if answer.categories.all() or answer.unique_remark:
            continue
        name = category_of.get(str(answer.value))
        if name:
            answer.categories.add(categories[name])
        else:
            Answer.objects.filter(pk=answer.pk).update(unique_remark=True)
    log(f"Vragenlijst '{survey.title}': {survey.responses.count()} reacties ({created} nieuw).")
    return []
