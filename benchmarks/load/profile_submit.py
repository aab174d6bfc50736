#!/usr/bin/env python
"""How long a submit's results update keeps the round's other submits waiting: the time of
`update_results_for_scan` in all, and of its part from the round's writer lock (the FOR UPDATE
of its `ResultState`) to its end, for N unsubmitted scans of the load benchmark's round, each
in a transaction that is rolled back (the data stays as it was).

    uv run --frozen python benchmarks/load/setup_data.py 7000 /tmp/plan.json   # once
    uv run --frozen python benchmarks/load/profile_submit.py load-7000 --scans 50
    BENCH_APP_DIR=/tmp/loadbase /tmp/loadbase/.venv/bin/python \
        benchmarks/load/profile_submit.py load-7000                           # another tree

Environment as run.py sets it (DATABASE_URL; default: selfscan_load). Prints the medians and
p90s in milliseconds (docs/decisions/0277).
"""

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
APP = Path(os.environ.get("BENCH_APP_DIR") or ROOT).resolve()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("round", help="the round's name, e.g. load-7000")
    parser.add_argument("--scans", type=int, default=50)
    args = parser.parse_args()
    sys.path.insert(0, str(APP))
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/selfscan_load")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DJANGO_SECRET_KEY", "load-benchmark-" + "k" * 50)
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "localhost")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selfscan.settings")
    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from selfscan.results import services
    from selfscan.results.models import ResultState
    from selfscan.rounds.models import Round
    from selfscan.scans.models import Scan

    round_ = Round.objects.get(name=args.round)
    services.ensure_results(round_)
    ids = list(
        Scan.objects.filter(round=round_, status=Scan.Status.IN_PROGRESS)
        .order_by("pk")
        .values_list("pk", flat=True)[: args.scans + 10]
    )
    locked_at: list[float] = []
    manager: Any = ResultState.objects
    select_for_update = manager.select_for_update

    def marked(*a: Any, **kw: Any) -> Any:  # the moment the writer lock is asked for
        locked_at.append(time.perf_counter())
        return select_for_update(*a, **kw)

    manager.select_for_update = marked

    def once(pk: int) -> tuple[float, float]:
        with transaction.atomic():
            now = timezone.now()
            Scan.objects.filter(pk=pk).update(status=Scan.Status.SUBMITTED, submitted_at=now)
            locked_at.clear()
            start = time.perf_counter()
            updated = services.update_results_for_scan(
                round_.pk, pk, was_submitted_at=None, now_submitted_at=now
            )
            end = time.perf_counter()
            transaction.set_rollback(True)
        assert updated, "the stored rows were not current: run setup_data.py again"
        return 1000 * (end - start), 1000 * (end - locked_at[0])

    for pk in ids[:10]:  # warm: connection, imports, caches
        once(pk)
    runs = [once(pk) for pk in ids[10:]]
    total = sorted(r[0] for r in runs)
    locked = sorted(r[1] for r in runs)

    def at(values: list[float], share: float) -> float:
        return values[min(len(values) - 1, int(share * len(values)))]

    print(
        f"{len(runs)} submits of {args.round}: update_results_for_scan median "
        f"{at(total, 0.5):.1f} ms (p90 {at(total, 0.9):.1f}); from the writer lock on "
        f"{at(locked, 0.5):.1f} ms (p90 {at(locked, 0.9):.1f})"
    )


if __name__ == "__main__":
    main()
