"""One submit in a 7,000-school open round: the incremental update of the affected rows
against one full store, side by side.

    uv run python benchmarks/incremental.py [--size 7000] [--repeat 5]

Uses a throw-away SQLite database (SELFSCAN_VAR_DIR in a temporary directory) unless
DATABASE_URL is set. The round comes from benchmarks/generate.py (N schools × 70 statements),
opened. Each repeat times, one after the other on the same data:

- *full store*: `services.compute_now` after the stored rows were marked stale: the whole
  aggregation of the round plus deleting and writing all its rows (what a page or the worker
  would pay for a full recompute after a submit);
- *reopen* and *submit*: `services.update_results_for_scan` for one scan whose status was just
  changed (the part of `scans.services.reopen_scan` / `submit_scan` that updates the results,
  inside its own transaction), a different school each repeat (PO schools with a wijk, so
  every level is touched).

Prints best and median of each, as wall-clock time and as the process's CPU time (SQLite runs
in-process, so its work is included; CPU time is less sensitive to other work on a shared
machine), and the ratio incremental / full (target: at most 1/10); checks afterwards that the
stored rows equal a full recompute.
"""

import argparse
import os
import platform
import statistics
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

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks.generate import generate  # noqa: E402
from selfscan.results import services  # noqa: E402
from selfscan.results.aggregation import aggregate_round  # noqa: E402
from selfscan.results.models import AggregateRow, ResultState  # noqa: E402
from selfscan.rounds.models import Round  # noqa: E402
from selfscan.scans.models import Scan  # noqa: E402


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def full_store(round_: Round) -> tuple[float, float]:
    ResultState.objects.filter(round=round_).update(data_version="")
    started, cpu = time.perf_counter(), time.process_time()
    services.compute_now(round_)
    return time.perf_counter() - started, time.process_time() - cpu


def vacuum() -> None:
    """PostgreSQL: clear the dead rows a full store leaves (all 118,000 rows rewritten), as
    autovacuum would between stores; back to back, five stores left 5× the live rows dead and
    the incremental path's index scan over them took 0.6 s instead of 0.04 s. Not timed."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {AggregateRow._meta.db_table}")


def change(scan: Scan, *, submit: bool) -> tuple[float, float]:
    """Change one scan's status as reopen/submit do, then time the results update."""
    was = scan.submitted_at
    now = timezone.now() if submit else None
    with transaction.atomic():
        Scan.objects.filter(pk=scan.pk).update(
            status=Scan.Status.SUBMITTED if submit else Scan.Status.IN_PROGRESS, submitted_at=now
        )
        started, cpu = time.perf_counter(), time.process_time()
        updated = services.update_results_for_scan(
            scan.round_id, scan.pk, was_submitted_at=was, now_submitted_at=now
        )
        elapsed = time.perf_counter() - started, time.process_time() - cpu
    assert updated, "the stored rows were not current: the incremental path did not run"
    scan.submitted_at = now
    return elapsed


def same_as_full(round_: Round) -> bool:
    """The stored rows equal a full recompute (counts exactly, shares to 1e-9)."""
    fresh = aggregate_round(round_.pk, threshold=round_.threshold_percent)
    stored = {
        (r.level, r.key, r.theme_id or 0): r
        for r in AggregateRow.objects.filter(round=round_).only(
            "level", "key", "theme_id", "submitted", "meeting", "sufficient", "mean_share"
        )
    }
    if len(stored) != len(fresh):
        return False
    row: Any
    for row in fresh.itertuples(index=False):
        got = stored.get((row.level, str(row.key), int(row.theme_id)))
        if got is None or (got.submitted, got.meeting, got.sufficient) != (
            row.submitted,
            row.meeting,
            row.sufficient,
        ):
            return False
        if got.mean_share is not None and abs(got.mean_share - row.mean_share) > 1e-9:
            return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=7000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    print(
        f"Machine: {platform.platform()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPU cores, database {connection.vendor}"
    )
    round_, _previous, _ = generate(args.size)
    round_.status = Round.Status.OPEN
    round_.save(update_fields=["status"])
    services.compute_now(round_)  # the round's first store (when it opens)
    picks = list(
        Scan.objects.filter(
            round=round_, status=Scan.Status.SUBMITTED, wijk__isnull=False
        ).order_by("pk")[: args.repeat]
    )
    print(f"load average before {load()}")
    runs: dict[str, list[tuple[float, float]]] = {"full": [], "reopen": [], "submit": []}
    for scan in picks:
        runs["full"].append(full_store(round_))
        vacuum()
        runs["reopen"].append(change(scan, submit=False))
        runs["submit"].append(change(scan, submit=True))
    print(f"load average after {load()}")
    agree = same_as_full(round_)
    n_rows = AggregateRow.objects.filter(round=round_).count()
    print()
    submitted = Scan.objects.filter(round=round_, status=Scan.Status.SUBMITTED).count()
    print(
        f"{args.size:,} schools ({submitted:,} submitted), {n_rows:,} stored rows, "
        f"{len(picks)} repeats (ms):"
    )
    print()
    print(
        "| | wall best | wall median | CPU best | CPU median "
        "| wall median / full | CPU median / full |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")

    def stats(name: str) -> tuple[float, float, float, float]:
        wall = [w for w, _ in runs[name]]
        cpu = [c for _, c in runs[name]]
        return min(wall), statistics.median(wall), min(cpu), statistics.median(cpu)

    full = stats("full")
    labels = {
        "full": "full store (`compute_now`)",
        "reopen": "incremental, reopen (`update_results_for_scan`)",
        "submit": "incremental, submit (`update_results_for_scan`)",
    }
    for name, label in labels.items():
        wall_best, wall_median, cpu_best, cpu_median = stats(name)
        print(
            f"| {label} | {wall_best * 1000:,.0f} | {wall_median * 1000:,.0f} "
            f"| {cpu_best * 1000:,.0f} | {cpu_median * 1000:,.0f} "
            f"| {wall_median / full[1]:.3f} (1/{full[1] / wall_median:.1f}) "
            f"| {cpu_median / full[3]:.3f} (1/{full[3] / cpu_median:.1f}) |"
        )
    print()
    print(f"stored rows equal a full recompute afterwards: {'yes' if agree else 'NO'}")
    for name, times in runs.items():
        print(f"  {name} wall: " + ", ".join(f"{w * 1000:,.0f}" for w, _ in times))


if __name__ == "__main__":
    main()
