"""The staff progress page at 7,000 schools: render time and HTML size, and the export.

    uv run python benchmarks/progress_page.py [--sizes 7000] [--repeat 5]

Uses a throw-away SQLite database (SELFSCAN_VAR_DIR in a temporary directory) unless
DATABASE_URL is set. The round comes from benchmarks/generate.py (N schools × 70 statements);
it is opened, and every school gets two team members (one who can log in, one with an open
invitation) so the contact column is filled as in real use. In-process, through the Django test
client logged in as partnership staff (who sees the contacts and the export), it times, best of
`--repeat`, the whole request (middleware, view, template), as wall-clock time and as the
process's CPU time (less sensitive to other work on a shared machine; the database is SQLite
in-process, so its work is included; with PostgreSQL the server's share is not):

- page 1 without filters;
- a search (`q`) that matches about a tenth of the schools;
- a filter (sector PO and status "bezig");
- the last page (out of range: `pagina=9999`);

and prints each page's HTML size and query count, and the number of schools in the CSV and XLSX
exports (without filters and under the filter), against the number of schools that match.
Targets (issue 18): under 200 ms and under 200 kB per page; the export holds every matching
school.
"""

import argparse
import csv
import datetime
import io
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SELFSCAN_VAR_DIR", tempfile.mkdtemp(prefix="selfscan-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selfscan.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks.generate import generate  # noqa: E402
from selfscan.accounts.models import Invitation, Role, User  # noqa: E402
from selfscan.rounds.models import Round  # noqa: E402
from selfscan.scans.models import Scan  # noqa: E402

settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


def prepare(size: int) -> Round:
    current, _previous, _ = generate(size)
    current.status = Round.Status.OPEN
    current.save(update_fields=["status"])
    # A spread of statuses, as in a round that is still open.
    ids = list(Scan.objects.filter(round=current).order_by("pk").values_list("pk", flat=True))
    Scan.objects.filter(pk__in=ids[::3]).update(status=Scan.Status.IN_PROGRESS)
    Scan.objects.filter(pk__in=ids[1::7]).update(status=Scan.Status.NOT_STARTED)
    if not User.objects.filter(email__startswith="bench-team-").exists():
        add_team_members(current)
    return current


def add_team_members(round_: Round) -> None:
    """Two members per school: one who can log in, one with an open invitation."""
    school_ids = list(Scan.objects.filter(round=round_).values_list("school_id", flat=True))
    hashed = User(email="x")
    hashed.set_password("bench-password-123")
    with transaction.atomic():
        users = User.objects.bulk_create(
            User(
                email=f"bench-team-{school_id}-{n}@example.org",
                username=f"bench-team-{school_id}-{n}@example.org",
                first_name=f"Lid{n}",
                last_name=f"School {school_id}",
                role=Role.SCHOOL,
                password=hashed.password if n == 0 else "!",
            )
            for school_id in school_ids
            for n in range(2)
        )
        through = User.schools.through
        through.objects.bulk_create(
            through(user_id=user.pk, school_id=school_ids[i // 2]) for i, user in enumerate(users)
        )
        expires = timezone.now() + datetime.timedelta(days=7)
        Invitation.objects.bulk_create(
            Invitation(user=user, expires_at=expires, token_hash=f"bench-{user.pk}")
            for user in users[1::2]
        )


def timed(client: Client, url: str, params: dict[str, Any], repeat: int) -> dict[str, Any]:
    times, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url, params)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    body = response.content
    return {
        "ms": min(times) * 1000,
        "cpu_ms": min(cpu) * 1000,
        "kb": len(body) / 1000,
        "queries": len(queries),
        "rows": body.count(b"<tr><td"),
    }


def export_schools(client: Client, url: str, params: dict[str, Any], file_format: str) -> int:
    """The number of distinct schools (by vestigingscode) in the export."""
    response: Any = client.get(url, params)
    assert response.status_code == 200, response.status_code
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if file_format == "csv":
        reader = csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";")
        rows = list(reader)
    else:
        from openpyxl import load_workbook

        sheet: Any = load_workbook(io.BytesIO(body), read_only=True).active
        rows = [
            [str(c) if c is not None else "" for c in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    header, data = rows[0], rows[1:]
    column = header.index("vestigingscode")
    return len({row[column] for row in data})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[7000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    print(
        f"Machine: {platform.platform()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPU cores, database {connection.vendor}; "
        f"load average before {'/'.join(f'{x:.1f}' for x in os.getloadavg())}"
    )
    staff = User.objects.filter(
        email="bench-staff@example.org"
    ).first() or User.objects.create_user(
        email="bench-staff@example.org", password=None, role=Role.STAFF
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    client.force_login(staff)
    for size in args.sizes:
        round_ = prepare(size)
        scans = Scan.objects.filter(round=round_)
        url = reverse("rounds:progress", kwargs={"pk": round_.pk})
        search = "school 1"  # about a tenth of the names
        cases = [
            ("page 1", {}, scans.count()),
            (
                f"search q={search!r}",
                {"q": search},
                scans.filter(school__name__icontains=search).count(),
            ),
            (
                "filter PO + bezig",
                {"sector": "PO", "status": "bezig"},
                scans.filter(sector="PO", status="bezig").count(),
            ),
            ("pagina=9999", {"pagina": "9999"}, scans.count()),
        ]
        print()
        print(f"{size:,} schools, best of {args.repeat}:")
        print()
        print("| request | matching schools | rows in HTML | time | CPU time | HTML | queries |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for name, params, matching in cases:
            m = timed(client, url, params, args.repeat)
            print(
                f"| {name} | {matching:,} | {m['rows']} "
                f"| {m['ms']:,.0f} ms | {m['cpu_ms']:,.0f} ms "
                f"| {m['kb']:,.0f} kB | {m['queries']} |",
                flush=True,
            )
        print()
        print("| export | filter | matching schools | schools in export |")
        print("| --- | --- | ---: | ---: |")
        for file_format in ("csv", "xlsx"):
            export = reverse(
                "rounds:progress_export", kwargs={"pk": round_.pk, "file_format": file_format}
            )
            for name, params, matching in (cases[0], cases[2]):
                n = export_schools(client, export, params, file_format)
                print(f"| {file_format} | {name} | {matching:,} | {n:,} |", flush=True)
    print()
    print(f"load average after {'/'.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
