"""Benchmark: the dry run of the import page for a valid city file and for 20 MB files full of
errors, on SQLite and PostgreSQL, through the real views.

    uv run python benchmarks/import_limits.py                    # both databases, every file
    uv run python benchmarks/import_limits.py --db sqlite --cases valid cells

Files (7,000 invited schools × 70 statements in a closed round, built by import_round.build):
- valid: the wide 7,000 × 70 CSV of benchmarks/import_round.py (1.3 MB, no problem);
- cells: wide, the 7,000 invited schools with a sentence instead of an answer code in each of
  the 70 cells (490,000 problems, 20 MB);
- long-all: long layout, each invited school × statement once, every answer '7' (490,000 rows,
  one problem each, 9 MB: the largest long file within the row limit);
- long: the same rows repeated up to 20 MB (1.2 million rows);
- rows: wide, 2.2 million short rows of unknown vestigingscodes (one problem each, 20 MB).

Per file it times
- dry run: `check_import` itself (what the background job spends on it);
- eager page: the upload POST through Django's test client with Celery eager, as the demo and a
  broker-less installation run it, plus the GET of the page it redirects to;
- with a worker: the upload POST when the task only goes to the broker (what the web request
  costs behind gunicorn), the job as the worker runs it, and the GET of the result page.
The code before the background job (no `selfscan.imports.tasks`) has only the first two.

Every file runs in its own process under an address-space limit (`--memory-gb`, default 6) and
a time limit (`--timeout`, default 600 s), so a runaway case ends as "MemoryError"/"timeout"
instead of taking the shared machine down. Peak RSS is the process's. Output: a Markdown table
for benchmarks/RESULTS-import.md. PostgreSQL: BENCH_DATABASE_URL, default database
`selfscan_bigimport` on 127.0.0.1 (dropped and recreated).
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/selfscan_bigimport"
SQLITE_FILE = ROOT / "var" / "bench-import-limits.sqlite3"
CASES = ["valid", "cells", "long-all", "long", "rows"]
TARGET_BYTES = 20_000_000
ROUND_NAME = "Bench-ronde"
APPLY_ROUND_NAME = "Bench-ronde om toe te passen"  # the same invitations, for the import
STAFF_EMAIL = "bench-staff@example.org"


def database_url(db: str) -> str:
    if db == "sqlite":
        return f"sqlite:///{SQLITE_FILE}"
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG)


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.pop("CELERY_BROKER_URL", None)  # eager unless a case replaces `delay`
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selfscan.settings")
    import django

    django.setup()


# --- preparing the database once per backend --------------------------------------------------


def prepare(db: str) -> None:
    url = database_url(db)
    if db == "sqlite":
        SQLITE_FILE.parent.mkdir(exist_ok=True)
        SQLITE_FILE.unlink(missing_ok=True)
    else:
        from benchmarks.import_round import recreate_database

        recreate_database(url)
    setup_django(url)
    from django.core.management import call_command

    from benchmarks.import_round import build
    from selfscan.accounts.models import User
    from selfscan.rounds.models import Round

    call_command("migrate", verbosity=0)
    round, _schools, _statements = build(7000, 70)
    User.objects.create_user(email=STAFF_EMAIL, password=None, role="staff")
    # A second round with the same invitations receives the valid file when it is applied, so
    # that the dry runs of the other files still find empty scans.
    from selfscan.scans.models import Scan

    fields = ("norm_version", "school", "sector", "wijk", "stadsdeel", "bestuur")
    copy = Round.objects.create(
        name=APPLY_ROUND_NAME,
        status=round.status,
        version_po=round.version_po,
        version_vo=round.version_vo,
        version_sv=round.version_sv,
        opens_on=round.opens_on,
        closes_on=round.closes_on,
    )
    Scan.objects.bulk_create(
        [
            Scan(round=copy, **{field: getattr(scan, field) for field in fields})
            for scan in Scan.objects.filter(round=round)
        ],
        batch_size=2000,
    )


# --- the files ----------------------------------------------------------------------------------


def make_file(case: str) -> bytes:
    from benchmarks.import_round import results_file
    from selfscan.imports import writing
    from selfscan.norms.models import Statement
    from selfscan.organisations.models import School

    schools = list(School.objects.order_by("vestigingscode"))
    statements = list(Statement.objects.order_by("order"))
    codes = [s.code for s in statements]
    if case == "valid":
        return results_file(schools, statements, "csv")
    if case == "cells":
        sentence = "Voldoende, maar nog niet in alle groepen (zie plan)"
        width = max(1, (TARGET_BYTES // len(schools) - 10) // len(codes) - 1)
        text = (sentence * 2)[:width]
        rows = [["vestigingscode", *codes]]
        rows += [[school.vestigingscode, *[text] * len(codes)] for school in schools]
        return writing.to_csv(rows)
    if case in ("long", "long-all"):
        # long: up to 20 MB (statements repeat); long-all: each school × statement once.
        lines = ["vestigingscode;stelling;antwoord"]
        size, n = 0, 0
        limit = len(schools) * len(codes) if case == "long-all" else None
        while size < TARGET_BYTES and (limit is None or n < limit):
            school = schools[n % len(schools)].vestigingscode
            line = f"{school};{codes[(n // len(schools)) % len(codes)]};7"
            lines.append(line)
            size += len(line) + 2
            n += 1
        return ("\r\n".join(lines) + "\r\n").encode()
    if case == "rows":
        count = TARGET_BYTES // 9
        body = "".join(f"{1_000_000 + n}\r\n" for n in range(count))
        return f"vestigingscode;{codes[0]}\r\n{body}".encode()
    raise SystemExit(f"unknown case {case}")


# --- one case in its own process ----------------------------------------------------------------


def run_case(db: str, case: str) -> dict[str, Any]:
    setup_django(database_url(db))
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from selfscan.accounts.models import User
    from selfscan.imports import services
    from selfscan.rounds.models import Round

    try:
        from selfscan.imports import tasks
    except ImportError:  # the code before the background job
        tasks = None  # type: ignore[assignment]

    round = Round.objects.get(name=ROUND_NAME)
    content = make_file(case)
    result: dict[str, Any] = {
        "db": connection.vendor,
        "case": case,
        "mb": round_to(len(content) / 1e6, 1),
        "rows": content.count(b"\n") - 1,
    }

    started = time.perf_counter()
    report = services.check_import(round=round, content=content, file_name=f"{case}.csv")
    result["dry_run_s"] = round_to(time.perf_counter() - started)
    result["problems"] = getattr(report, "problem_count", len(report.problems))
    del report

    client = Client()
    client.force_login(User.objects.get(email=STAFF_EMAIL))

    def upload() -> Any:
        return client.post(
            reverse("imports:start"),
            {"round": round.pk, "file": SimpleUploadedFile(f"{case}.csv", content), "layout": ""},
        )

    started = time.perf_counter()
    response = upload()
    result["eager_post_s"] = round_to(time.perf_counter() - started)
    result["eager_post_status"] = response.status_code
    if response.status_code == 302:
        started = time.perf_counter()
        page = client.get(response["Location"])
        result["eager_get_s"] = round_to(time.perf_counter() - started)
        result["page_kb"] = len(page.content) // 1024
    else:
        result["page_kb"] = len(response.content) // 1024

    if tasks is not None:
        queued: list[int] = []
        with mock.patch.object(tasks.check_upload, "delay", queued.append):
            started = time.perf_counter()
            response = upload()
            result["worker_post_s"] = round_to(time.perf_counter() - started)
        started = time.perf_counter()
        for job_id in queued:
            tasks.check_upload(job_id)
        result["worker_job_s"] = round_to(time.perf_counter() - started)
        started = time.perf_counter()
        page = client.get(response["Location"])
        result["worker_get_s"] = round_to(time.perf_counter() - started)
        result["worker_page_kb"] = len(page.content) // 1024
        if case == "valid":
            confirm_and_apply(client, content, result)
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    return result


def confirm_and_apply(client: Any, content: bytes, result: dict[str, Any]) -> None:
    """The valid file uploaded to the second round, checked, then confirmed when a worker
    applies it: the confirmation request, and the job (checks again and writes in one
    transaction)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from selfscan.imports import tasks
    from selfscan.imports.models import RoundImport
    from selfscan.rounds.models import Round

    target = Round.objects.get(name=APPLY_ROUND_NAME)
    checks: list[int] = []
    with mock.patch.object(tasks.check_upload, "delay", checks.append):
        client.post(
            reverse("imports:start"),
            {"round": target.pk, "file": SimpleUploadedFile("valid.csv", content), "layout": ""},
        )
    tasks.check_upload(checks[0])
    record = RoundImport.objects.get(pk=checks[0])
    assert record.status == RoundImport.Status.CHECKED, record.status
    applies: list[int] = []
    with mock.patch.object(tasks.apply_upload, "delay", applies.append):
        started = time.perf_counter()
        response = client.post(
            reverse("imports:apply", args=[record.pk]), {"sha256": record.sha256}
        )
        result["confirm_post_s"] = round_to(time.perf_counter() - started)
    assert response.status_code == 302 and applies == [record.pk]
    started = time.perf_counter()
    tasks.apply_upload(record.pk)
    result["apply_job_s"] = round_to(time.perf_counter() - started)
    record.refresh_from_db()
    assert record.status == RoundImport.Status.APPLIED, record.status
    started = time.perf_counter()
    client.get(reverse("imports:detail", args=[record.pk]))
    result["applied_get_s"] = round_to(time.perf_counter() - started)


def round_to(value: float, digits: int = 2) -> float:
    return round(value, digits)


# --- the parent: one process per case, a Markdown table -------------------------------------


def limit_memory(gigabytes: float) -> None:
    limit = int(gigabytes * 1024**3)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def child(args: list[str], memory_gb: float, timeout: int) -> dict[str, Any] | str:
    command = [sys.executable, __file__, *args]
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=timeout,
            preexec_fn=lambda: limit_memory(memory_gb),
            cwd=ROOT,
        )
    except subprocess.TimeoutExpired:
        return f"timeout after {timeout} s"
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()
        return tail[-1] if tail else f"exit {done.returncode}"
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if lines else "no result"


def cell(result: dict[str, Any], key: str, unit: str = " s") -> str:
    value = result.get(key)
    return "–" if value is None else f"{value}{unit}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--cases", nargs="+", choices=CASES, default=CASES)
    parser.add_argument("--memory-gb", type=float, default=6.0)
    parser.add_argument("--timeout", type=int, default=600)
    parser.add_argument("--prepare", help=argparse.SUPPRESS)
    parser.add_argument("--case", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.prepare:
        prepare(args.prepare)
        return
    if args.case:
        print(json.dumps(run_case(*args.case)))
        return

    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    applied: list[str] = []
    load = os.getloadavg()[0]
    stamp = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    print(f"{stamp} UTC, load average {load:.1f}")
    print(
        "| database | file | size | rows | problems | dry run | eager: upload | eager: page "
        "| worker: upload | worker: job | worker: page | page size | peak RSS |"
    )
    print("| --- " * 13 + "|")
    for db in databases:
        prepared = child(["--prepare", db], args.memory_gb, args.timeout)
        if isinstance(prepared, str) and prepared != "no result":
            print(f"| {db} | preparing failed: {prepared} |")
            continue
        for case in args.cases:
            result = child(["--case", db, case], args.memory_gb, args.timeout)
            if isinstance(result, str):
                print(f"| {db} | {case} | | | | {result} |")
                continue
            status = result.get("eager_post_status")
            eager_post = cell(result, "eager_post_s")
            if status not in (200, 302):
                eager_post += f" ({status})"
            size_kb = result.get("worker_page_kb", result.get("page_kb"))
            print(
                f"| {result['db']} | {case} | {result['mb']} MB | {result['rows']:,} "
                f"| {result['problems']:,} | {cell(result, 'dry_run_s')} | {eager_post} "
                f"| {cell(result, 'eager_get_s')} | {cell(result, 'worker_post_s')} "
                f"| {cell(result, 'worker_job_s')} | {cell(result, 'worker_get_s')} "
                f"| {size_kb:,} kB | {result['peak_mb']:,} MB |",
                flush=True,
            )
            if "apply_job_s" in result:
                applied.append(
                    f"| {result['db']} | {cell(result, 'confirm_post_s')} "
                    f"| {cell(result, 'apply_job_s')} | {cell(result, 'applied_get_s')} |"
                )
    if applied:
        print("\nConfirming the valid file with a worker:\n")
        print("| database | confirm request | import job (check again + write) | page |")
        print("| --- | --- | --- | --- |")
        print("\n".join(applied))


if __name__ == "__main__":
    main()
