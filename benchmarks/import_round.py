"""Benchmark: import 7,000 schools × 70 statements into a closed round on PostgreSQL.

    uv run python benchmarks/import_round.py [--schools 7000] [--statements 70] [--format csv|xlsx]

It (re)creates the database `selfscan_bench_import` (override with BENCH_DATABASE_URL), migrates,
builds a norm version, a register and a closed round with one Scan per school using bulk_create,
writes a wide results file, and times the dry run (`check_import`) and the import
(`apply_import`: it checks again and writes in one transaction). Results go to stdout; record
them in benchmarks/RESULTS-import.md.
"""

import argparse
import os
import random
import resource
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/selfscan_bench_import"


def recreate_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def build(n_schools: int, n_statements: int):
    import datetime

    from selfscan.norms.models import Norm, NormVersion, ScaleLevel, Statement, Theme
    from selfscan.organisations.models import Bestuur, School, Stadsdeel, Wijk
    from selfscan.rounds.models import Round
    from selfscan.scans.models import Scan

    norm = Norm.objects.create(key="bench", name="Bench")
    version = NormVersion.objects.create(norm=norm, label="2025", title="Bench 2025")
    for order, (code, label, ok) in enumerate(
        [
            ("1", "Onvoldoende", False),
            ("2", "Matig", False),
            ("3", "Voldoende", True),
            ("4", "Goed", True),
        ]
    ):
        ScaleLevel.objects.create(
            version=version, code=code, label=label, sufficient=ok, order=order
        )
    themes = Theme.objects.bulk_create(
        [
            Theme(version=version, code=f"T{t:02d}", title=f"Thema {t}", order=t)
            for t in range(1, 11)
        ]
    )
    per_theme = -(-n_statements // len(themes))
    statements = Statement.objects.bulk_create(
        [
            Statement(
                version=version,
                theme=themes[i // per_theme],
                code=f"T{i // per_theme + 1:02d}.{i % per_theme + 1:02d}",
                concept_key=f"bench-{i}",
                text=f"Stelling {i}",
                sectors=["PO", "VO", "SV"],
                nvt_allowed=i % 5 == 0,
                order=i,
            )
            for i in range(n_statements)
        ]
    )
    stadsdeel = Stadsdeel.objects.create(name="Stad")
    wijken = Wijk.objects.bulk_create(
        [Wijk(name=f"Wijk {i}", stadsdeel=stadsdeel) for i in range(10)]
    )
    besturen = Bestuur.objects.bulk_create(
        [Bestuur(name=f"Bestuur {i}", bevoegd_gezag_nummer=f"{10000 + i}") for i in range(200)]
    )
    schools = School.objects.bulk_create(
        [
            School(
                vestigingscode=f"{n:04d}00",
                name=f"School {n}",
                sector="PO",
                wijk=wijken[n % 10],
                bestuur=besturen[n % 200],
            )
            for n in range(n_schools)
        ],
        batch_size=2000,
    )
    round = Round.objects.create(
        name="Bench-ronde",
        status=Round.Status.CLOSED,
        version_po=version,
        version_vo=version,
        version_sv=version,
        opens_on=datetime.date(2024, 10, 1),
        closes_on=datetime.date(2024, 12, 1),
    )
    Scan.objects.bulk_create(
        [
            Scan(
                round=round,
                school=school,
                norm_version=version,
                sector="PO",
                wijk=school.wijk,
                stadsdeel=stadsdeel,
                bestuur=school.bestuur,
            )
            for school in schools
        ],
        batch_size=2000,
    )
    return round, schools, statements


def results_file(schools, statements, fmt: str) -> bytes:
    from selfscan.imports import writing

    rng = random.Random(7)
    rows = [
        [
            "vestigingscode",
            "naam",
            *[s.code for s in statements],
            f"{statements[0].code} toelichting",
        ]
    ]
    for index, school in enumerate(schools):
        values = []
        for statement in statements:
            if index % 10 == 9 and rng.random() < 0.05:
                values.append("")  # one school in ten leaves a few statements open
            elif statement.nvt_allowed and rng.random() < 0.1:
                values.append("n.v.t.")
            else:
                values.append(rng.choice("12334344"))
        rows.append([school.vestigingscode, school.name, *values, "Besproken in het team"])
    return writing.to_csv(rows) if fmt == "csv" else writing.to_xlsx(rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=7000)
    parser.add_argument("--statements", type=int, default=70)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    recreate_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selfscan.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    round, schools, statements = build(args.schools, args.statements)
    content = results_file(schools, statements, args.format)
    setup_s = time.perf_counter() - started

    from selfscan.imports import parsing, services
    from selfscan.scans.models import Answer, Scan

    started = time.perf_counter()
    sheet = parsing.parse(content)
    parse_s = time.perf_counter() - started

    started = time.perf_counter()
    report = services.check_import(round=round, content=content, file_name=f"bench.{args.format}")
    check_s = time.perf_counter() - started
    assert report.ok, [p.message for p in report.problems[:5]]

    started = time.perf_counter()
    report = services.apply_import(
        round=round, content=content, file_name=f"bench.{args.format}", by=None
    )
    apply_s = time.perf_counter() - started

    answers = Answer.objects.filter(scan__round=round).count()
    submitted = Scan.objects.filter(round=round, status=Scan.Status.SUBMITTED).count()
    incomplete = Scan.objects.filter(round=round, status=Scan.Status.IN_PROGRESS).count()
    assert answers == len(report.answers), (answers, len(report.answers))
    assert submitted + incomplete == args.schools
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(
        f"file: {args.format}, {len(content) / 1e6:.1f} MB, {args.schools} schools x "
        f"{args.statements} statements, {len(sheet.entries)} cells with an answer or comment"
    )
    print(f"setup (register, round, scans, file): {setup_s:.1f} s")
    print(f"parse only: {parse_s:.1f} s")
    print(f"dry run (check_import): {check_s:.1f} s")
    print(f"import (apply_import: check again + write, one transaction): {apply_s:.1f} s")
    print(f"stored: {answers} answers, {submitted} scans submitted, {incomplete} incomplete")
    print(f"peak memory (RSS): {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
