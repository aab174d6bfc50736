"""Data for the load benchmark: an open round of N schools, each with a school-team account.

Run inside the project (`DATABASE_URL` names the benchmark's PostgreSQL database). Every scan
has all but the last MISSING statements answered (COPY, as benchmarks/generate.py does), so a
team saves a few answers and can submit. Writes the plan (accounts, scans, statements) as JSON
for the locust file. Everything is fictional; all accounts share one benchmark password.
"""

import datetime as dt
import json
import os
import random
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
# The code whose models and migrations make the data: the tree under test (`--app-dir` of
# run.py), so that a "before" tree gets its own schema; this tree by default.
APP = Path(os.environ.get("BENCH_APP_DIR") or ROOT).resolve()
MISSING = 5
PASSWORD = "bench-zelfscan-2025"  # noqa: S105 (fictional benchmark accounts)


def main(size: int, plan_path: str) -> None:
    sys.path.insert(0, str(APP))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selfscan.settings")
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from benchmarks.generate import norm_version, register, write_answers
    from selfscan.accounts.models import Role, User
    from selfscan.norms.models import Statement
    from selfscan.organisations.models import Bestuur, School
    from selfscan.results.services import ensure_results
    from selfscan.rounds.models import Round
    from selfscan.scans.models import Scan

    call_command("migrate", verbosity=0)
    name = f"load-{size}"
    rng = random.Random(size)
    version = norm_version()
    statements = list(
        Statement.objects.filter(version=version)
        .order_by("theme__order", "order")
        .values_list("id", "theme__code")
    )
    round_ = Round.objects.filter(name=name).first()
    if round_ is None:
        wijken = register()
        offset = School.objects.count()
        besturen = Bestuur.objects.bulk_create(
            Bestuur(name=f"Load bestuur {size}-{i}", bevoegd_gezag_nummer=f"9{offset + i:05d}")
            for i in range(max(2, size // 8))
        )
        schools = School.objects.bulk_create(
            School(
                vestigingscode=f"{900000 + offset + i}",
                name=f"Load school {size}-{i}",
                sector=sector,
                wijk=rng.choice(wijken) if sector == "PO" else None,
                bestuur=besturen[i % len(besturen)],
            )
            for i, sector in enumerate(
                rng.choices(["PO", "VO", "SV"], weights=[0.8, 0.15, 0.05], k=size)
            )
        )
        today = timezone.localdate()
        round_ = Round.objects.create(
            name=name,
            status=Round.Status.OPEN,
            version_po=version,
            version_vo=version,
            version_sv=version,
            opens_on=today - dt.timedelta(days=7),
            closes_on=today + dt.timedelta(days=30),
        )
        scans = Scan.objects.bulk_create(
            Scan(
                round=round_,
                school=school,
                norm_version=version,
                sector=school.sector,
                wijk=school.wijk,
                stadsdeel=school.wijk.stadsdeel if school.wijk else None,
                bestuur=school.bestuur,
                status=Scan.Status.IN_PROGRESS,
            )
            for school in schools
        )
        answered = [sid for sid, _ in statements[:-MISSING]]
        write_answers(
            (scan.pk, sid, rng.choice(["2", "3", "3", "4"])) for scan in scans for sid in answered
        )
        hashed = make_password(PASSWORD)
        users = User.objects.bulk_create(
            User(
                username=f"team{size}-{i}@load.example.org",
                email=f"team{size}-{i}@load.example.org",
                role=Role.SCHOOL,
                password=hashed,
            )
            for i in range(size)
        )
        User.schools.through.objects.bulk_create(
            User.schools.through(user_id=user.pk, school_id=school.pk)
            for user, school in zip(users, schools, strict=True)
        )
        boards = User.objects.bulk_create(
            User(
                username=f"board{size}-{i}@load.example.org",
                email=f"board{size}-{i}@load.example.org",
                role=Role.BOARD,
                password=hashed,
            )
            for i in range(5)
        )
        User.besturen.through.objects.bulk_create(
            User.besturen.through(user_id=user.pk, bestuur_id=besturen[i].pk)
            for i, user in enumerate(boards)
        )
        User.objects.create(
            username=f"staff{size}@load.example.org",
            email=f"staff{size}@load.example.org",
            role=Role.STAFF,
            password=hashed,
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        if connection.vendor == "postgresql":
            # No transaction of a previous run may commit after the reset (run.py stops its
            # servers; this also covers an interrupted run): end every other connection to
            # this database first.
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
        # A previous run: every scan back to "bezig" with the same answers missing.
        missing = [sid for sid, _ in statements[-MISSING:]]
        Scan.objects.filter(round=round_).update(
            status=Scan.Status.IN_PROGRESS, submitted_at=None, submitted_by=None
        )
        from selfscan.scans.models import Answer

        Answer.objects.filter(scan__round=round_, statement_id__in=missing).delete()
        Answer.objects.filter(scan__round=round_).update(version=0)
        from selfscan.results.models import ResultState

        ResultState.objects.filter(round=round_).delete()
    ensure_results(round_)  # the round's results exist before the rush, as after its opening
    with connection.cursor() as cursor:
        # What autovacuum does between two rushes in production (it is off on the benchmark
        # machines): without it the runs left tens of dead rows per live row in the results
        # tables (47,000 dead beside 1,950 rows of results_aggregaterow after ten runs), and
        # each run's submits were slower than the last (p50 0.9 s, then 1.9 s).
        cursor.execute("VACUUM ANALYZE")
    team_rows: list[Any] = list(
        Scan.objects.filter(round=round_)
        .order_by("pk")
        .values_list("pk", "school_id", "bestuur_id", "school__members__email")
    )
    board_rows: list[Any] = list(
        User.objects.filter(email__startswith=f"board{size}-").values_list("email", "besturen__pk")
    )
    # Signed-in sessions for the teams (and readers), made here: the run measures the rush, not
    # a storm of Argon2 logins on a shared 2-core machine (the login is measured on its own).
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore

    def signed_in(email: str) -> str:
        user = User.objects.get(email=email)
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        return str(session.session_key)

    teams = int(os.environ.get("BENCH_TEAMS", "200"))
    plan = {
        "size": size,
        "round": round_.pk,
        "password": PASSWORD,
        "teams": [
            {"scan": pk, "school": school, "email": email, "session": signed_in(email)}
            for pk, school, _, email in team_rows[:teams]
        ],
        "boards": [{"email": email, "bestuur": bestuur} for email, bestuur in board_rows],
        "staff": f"staff{size}@load.example.org",
        "missing": [sid for sid, _ in statements[-MISSING:]],
        "statements": [sid for sid, _ in statements],
        "first_step": statements[-1][1],
    }
    Path(plan_path).write_text(json.dumps(plan))


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
