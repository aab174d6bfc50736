"""Synthetic rounds for the benchmark: N schools × 70 statements × 2 rounds.

Writes with bulk_create (SQLite) or COPY (PostgreSQL). Everything is fictional and random with a
fixed seed. A size that is already present is reused (`bench-<n>` rounds).
"""

import datetime as dt
import io
import random
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from selfscan.norms.models import Norm, NormVersion, ScaleLevel, Statement, Theme
from selfscan.organisations.models import Bestuur, School, Stadsdeel, Wijk
from selfscan.rounds.models import Round
from selfscan.scans.models import Answer, Scan

THEMES = 14
PER_THEME = 5  # 70 statements
VALUES = ["1", "2", "3", "4", "NVT"]
WEIGHTS = [0.04, 0.08, 0.45, 0.40, 0.03]


def norm_version() -> NormVersion:
    norm, _ = Norm.objects.get_or_create(key="bench", defaults={"name": "Benchmarknorm"})
    version, created = NormVersion.objects.get_or_create(
        norm=norm, label="v1", defaults={"title": "Benchmarknorm v1"}
    )
    if created:
        for order, (code, sufficient) in enumerate(
            [("1", False), ("2", False), ("3", True), ("4", True)]
        ):
            ScaleLevel.objects.create(
                version=version, code=code, label=code, sufficient=sufficient, order=order
            )
        for t in range(1, THEMES + 1):
            theme = Theme.objects.create(
                version=version, code=f"T{t:02d}", title=f"Thema {t}", order=t
            )
            for s in range(1, PER_THEME + 1):
                Statement.objects.create(
                    version=version,
                    theme=theme,
                    code=f"T{t:02d}.{s:02d}",
                    concept_key=f"bench-{t}-{s}",
                    text=f"Stelling {t}.{s}",
                    sectors=["PO", "VO", "SV"],
                    nvt_allowed=True,
                    order=s,
                )
    return version


def register() -> list[Wijk]:
    stadsdelen = [Stadsdeel.objects.get_or_create(name=f"Bench stadsdeel {i}")[0] for i in range(4)]
    wijken = [
        Wijk.objects.get_or_create(
            name=f"Bench wijk {i}", defaults={"stadsdeel": stadsdelen[i % 4]}
        )[0]
        for i in range(10)
    ]
    return wijken


def generate(size: int, seed: int = 7) -> tuple[Round, Round, float]:
    """Create (or reuse) two rounds of `size` schools; returns them and the seconds it took."""
    existing = Round.objects.filter(name=f"bench-{size}-2").first()
    if existing and existing.previous:
        return existing, existing.previous, 0.0
    started = timezone.now()
    rng = random.Random(seed + size)
    version = norm_version()
    statements = list(Statement.objects.filter(version=version).values_list("id", flat=True))
    wijken = register()
    offset = School.objects.filter(name__startswith="Bench school").count()
    with transaction.atomic():
        n_besturen = max(2, size // 8)
        besturen = _besturen(size, n_besturen)
        schools = School.objects.bulk_create(
            School(
                vestigingscode=f"{offset + i:04d}00",
                name=f"Bench school {offset + i}",
                sector=sector,
                wijk=rng.choice(wijken) if sector == "PO" else None,
                bestuur=besturen[i % len(besturen)],
            )
            for i, sector in enumerate(
                rng.choices(["PO", "VO", "SV"], weights=[0.8, 0.15, 0.05], k=size)
            )
        )
        first = _round(version, f"bench-{size}-1", None)
        second = _round(version, f"bench-{size}-2", first)
    for round_ in (first, second):
        scans = Scan.objects.bulk_create(
            Scan(
                round=round_,
                school=school,
                norm_version=version,
                sector=school.sector,
                wijk=school.wijk,
                stadsdeel=school.wijk.stadsdeel if school.wijk else None,
                bestuur=school.bestuur,
                status=Scan.Status.SUBMITTED if rng.random() < 0.95 else Scan.Status.IN_PROGRESS,
                submitted_at=timezone.now(),
            )
            for school in schools
        )
        rows = (
            (scan.pk, statement, value)
            for scan in scans
            for statement, value in zip(
                statements, rng.choices(VALUES, weights=WEIGHTS, k=len(statements)), strict=True
            )
        )
        write_answers(rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return second, first, (timezone.now() - started).total_seconds()


def _besturen(size: int, n: int) -> list[Bestuur]:
    start = Bestuur.objects.count()
    return Bestuur.objects.bulk_create(
        Bestuur(name=f"Bench bestuur {size}-{i}", bevoegd_gezag_nummer=f"{start + i:05d}")
        for i in range(n)
    )


def _round(version: NormVersion, name: str, previous: Round | None) -> Round:
    return Round.objects.create(
        name=name,
        status=Round.Status.CLOSED,
        version_po=version,
        version_vo=version,
        version_sv=version,
        opens_on=dt.date(2025, 10, 1),
        closes_on=dt.date(2025, 12, 1),
        previous=previous,
    )


def write_answers(rows: Any) -> None:
    """COPY on PostgreSQL, bulk_create elsewhere."""
    if connection.vendor == "postgresql":
        now = timezone.now().isoformat()
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg 3 cursor
            with raw.copy(
                "COPY scans_answer (scan_id, statement_id, value, comment, nvt_explanation, "
                "version, updated_at) FROM STDIN"
            ) as copy:
                buffer = io.StringIO()
                for n, (scan, statement, value) in enumerate(rows, start=1):
                    buffer.write(f"{scan}\t{statement}\t{value}\t\t\t0\t{now}\n")
                    if n % 50000 == 0:
                        copy.write(buffer.getvalue())
                        buffer = io.StringIO()
                copy.write(buffer.getvalue())
        return
    batch: list[Answer] = []
    with transaction.atomic():
        for scan, statement, value in rows:
            batch.append(Answer(scan_id=scan, statement_id=statement, value=value))
            if len(batch) >= 20000:
                Answer.objects.bulk_create(batch)
                batch = []
        Answer.objects.bulk_create(batch)
