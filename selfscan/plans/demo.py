"""Demo improvement actions: the 0-meting's submitted scans get a few actions each (some done,
some still open, one over its date), which the open round shows as last year's actions; the
open round's submitted scans get one action on their first theme."""

import random
from datetime import date, timedelta

from django.utils import timezone

from selfscan.core.demo import DemoLogin, Log
from selfscan.norms.models import Theme
from selfscan.rounds.demo import OPEN_NAME, ZERO_NAME
from selfscan.scans.models import Scan

from .models import ImprovementAction
from .services import team_members

S = ImprovementAction.Status

IDEAS = [
    ("Het schoolondersteuningsprofiel in een teamvergadering samen doornemen.", ""),
    ("Een vast moment per periode voor de groepsbespreking met de intern begeleider.", ""),
    ("Scholing voor het hele team over het signaleren van dyslexie.", "Met de onderwijsadviseur"),
    ("Afspraken over het eigen leerlijnenplan vastleggen in de zorgroute.", ""),
    ("Ouders vaker betrekken bij het opstellen van het ontwikkelingsperspectief.", ""),
    ("Een aanbod voor meer- en hoogbegaafde leerlingen in alle bouwen.", "Werkgroep"),
]
FREE_NAMES = ["Intern begeleider", "Directeur", "Werkgroep rekenen", "Bouwcoördinator"]


def _actions_for(scan: Scan, themes: list[Theme], rng: random.Random, zero: bool) -> int:
    members = team_members(scan.school_id)
    count = 0
    picks = themes if zero else themes[:1]
    for n, theme in enumerate(picks):
        for _i in range(rng.randint(1, 2) if zero else 1):
            what, note = IDEAS[(count + n + scan.school_id) % len(IDEAS)]
            if zero:
                status = rng.choice([S.DONE, S.DONE, S.IN_PROGRESS, S.PLANNED, S.DROPPED])
                due = date(2025, rng.randint(3, 9), rng.randint(1, 28))
            else:  # due in the coming months, whenever the demo is loaded
                status = S.PLANNED
                due = timezone.localdate() + timedelta(days=rng.randint(30, 150))
            owner = members[0] if members and rng.random() < 0.5 else None
            ImprovementAction.objects.create(
                scan=scan,
                theme=theme,
                what=what,
                owner=owner,
                owner_name="" if owner else rng.choice(FREE_NAMES),
                due_on=due,
                status=status,
                note=note,
            )
            count += 1
    return count


def load(log: Log) -> list[DemoLogin]:
    for name, zero in ((ZERO_NAME, True), (OPEN_NAME, False)):
        scans = list(
            Scan.objects.filter(round__name=name, status=Scan.Status.SUBMITTED)
            .select_related("school", "norm_version")
            .order_by("school__vestigingscode")
        )
        if not scans:
            continue
        if ImprovementAction.objects.filter(scan__round__name=name).exists():
            log(f"Verbeteracties {name}: al aanwezig.")
            continue
        themes_by_version: dict[int, list[Theme]] = {}
        total = 0
        for scan in scans:
            themes = themes_by_version.setdefault(
                scan.norm_version_id,
                list(Theme.objects.filter(version_id=scan.norm_version_id).order_by("order")),
            )
            if themes:
                rng = random.Random(f"acties-{name}-{scan.school.vestigingscode}")
                # the first theme always, so every school's first step shows last year's actions
                extra = rng.sample(themes[1:], k=1) if len(themes) > 1 else []
                total += _actions_for(scan, [themes[0], *extra], rng, zero)
        log(f"Verbeteracties {name}: {total} bij {len(scans)} scholen.")
    return []
