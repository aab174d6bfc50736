#!/usr/bin/env python
"""The CPU cost of one autosave inside one process, without HTTP or other processes: N saves
through Django's test client (the whole middleware stack, the view, the JSON) on the load
benchmark's PostgreSQL database and Redis cache, timed, and optionally under cProfile.

    uv run --frozen python benchmarks/load/setup_data.py 100 /tmp/plan.json   # once
    uv run --frozen python benchmarks/load/profile_save.py /tmp/plan.json --saves 500 [--profile]
    BENCH_APP_DIR=/tmp/loadbase /tmp/loadbase/.venv/bin/python \
        benchmarks/load/profile_save.py /tmp/plan-before.json --saves 500     # another tree

Environment as run.py sets it (DATABASE_URL, CACHE_URL; defaults: selfscan_load and Redis db 6).
Prints milliseconds per save (wall and process CPU) and, with --profile, the top functions.
"""

import argparse
import cProfile
import json
import os
import pstats
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
# The code under test (as run.py's --app-dir: run this file with that tree's venv python and
# BENCH_APP_DIR=<tree>); this tree by default.
APP = Path(os.environ.get("BENCH_APP_DIR") or ROOT).resolve()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("plan")
    parser.add_argument("--saves", type=int, default=500)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    sys.path.insert(0, str(APP))
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/selfscan_load")
    os.environ.setdefault("CACHE_URL", "redis://127.0.0.1:6379/6")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DJANGO_SECRET_KEY", "load-benchmark-" + "k" * 50)
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selfscan.settings")
    import django

    django.setup()
    from django.test import Client

    plan = json.loads(Path(args.plan).read_text())
    team = plan["teams"][-1]
    client = Client(enforce_csrf_checks=True, HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
    client.cookies["sessionid"] = team["session"]
    step = client.get(f"/zelfscan/{team['scan']}/invullen/{plan['first_step']}/")
    assert step.status_code == 200, step.status_code
    token = client.cookies["csrftoken"].value
    url = f"/zelfscan/{team['scan']}/opslaan/"
    statements = plan["statements"]
    versions: dict[int, int] = {}

    def post(sid: int, value: str) -> Any:
        return client.post(
            url,
            {"statement": sid, "value": value, "version": versions.get(sid, 0)},
            HTTP_X_CSRFTOKEN=token,
            HTTP_X_REQUESTED_WITH="XMLHttpRequest",
            HTTP_REFERER="https://127.0.0.1/",
        )

    def save(i: int) -> None:
        sid = statements[i % len(statements)]
        response = post(sid, "1234"[i % 4])
        body = response.json()
        if response.status_code == 409 and i < 0:  # warm-up: answers of an earlier run
            versions[sid] = body["version"]
            response = post(sid, "1234"[i % 4])
            body = response.json()
        assert response.status_code == 200 and body["ok"], (response.status_code, body)
        versions[sid] = body["version"]

    for i in range(-len(statements), 0):  # warm: connection, caches, every version known
        save(i)
    profiler = cProfile.Profile() if args.profile else None
    wall, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    for i in range(args.saves):
        save(i)
    if profiler:
        profiler.disable()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"{args.saves} saves: {1000 * wall / args.saves:.2f} ms wall, "
        f"{1000 * cpu / args.saves:.2f} ms CPU of this process per save"
    )
    if profiler:
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(args.top)
        stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
