#!/usr/bin/env python
"""Load benchmark: the deadline rush against gunicorn on PostgreSQL, measured with locust.

    make bench-load                       # every scenario, this tree, one app server
    uv run --frozen python benchmarks/load/run.py --scenario almere --label after
    uv run --frozen python benchmarks/load/run.py --app-dir /tmp/main-copy --label before

Scenarios (users are bounded, runs are bounded in time, traffic stays on 127.0.0.1):
- almere:   100 schools, 100 teams saving every 3 s, submitting after 8 saves; 2 staff,
            2 board members and a /health/ probe read meanwhile;
- almere-saves: the same without the submits: the load issue 18's latency target names
            (100 teams, one save per team every 3 s), readers included;
- saturate: 100 schools, 60 teams saving without pause, never submitting (saves per second);
- national: 7,000 schools in the register, 150 teams saving every 2 s and submitting (500
            concurrent teams scaled to this 2-core machine), with the same readers.
`--instances 2` starts two gunicorn instances on two ports (half the workers each) with one
PostgreSQL and one Redis; users alternate between them. Results go to
benchmarks/load/results.json and a markdown table on stdout.

The data is made by the code under test (`setup_data.py` with `--app-dir`'s venv), so give an
older tree its own `--database` and `--cache` (its schema and cached objects differ). Each run
records where the machine's CPU went (this benchmark, niced processes, idle) and the CPU
seconds of gunicorn, the database's backends and locust: on a shared machine the latencies
alone say little (benchmarks/RESULTS-load.md). Beside locust's latencies it reports the
server's own time per endpoint, from gunicorn's access log: a gap between the two is the load
generator's or the queue's, not the app's (decision 0278).
"""

import argparse
import contextlib
import csv
import json
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/selfscan_load"
DEFAULT_CACHE = "redis://127.0.0.1:6379/6"
SCENARIOS = {
    "almere": {"size": 100, "teams": 100, "pacing": 3, "saves": 8},
    "almere-saves": {"size": 100, "teams": 100, "pacing": 3, "saves": 0},
    "saturate": {"size": 100, "teams": 60, "pacing": 0, "saves": 0},
    "national": {"size": 7000, "teams": 150, "pacing": 2, "saves": 8},
}
# Each request's method, path, status and time in the worker (µs, from its first byte read to
# its last byte written), so that a run reports the server's own time beside locust's.
ACCESS_FORMAT = "%(m)s %(U)s %(s)s %(D)s"
ENDPOINTS = [  # locust's names for the paths (locustfile.py)
    ("POST", re.compile(r"^/zelfscan/\d+/opslaan/$"), "autosave"),
    ("POST", re.compile(r"^/zelfscan/\d+/indienen/$"), "submit"),
    ("GET", re.compile(r"^/zelfscan/\d+/invullen/"), "wizard step"),
    ("GET", re.compile(r"^/resultaten/\d+/school/"), "school results"),
    ("GET", re.compile(r"^/resultaten/\d+/stad/$"), "city dashboard"),
    ("GET", re.compile(r"^/resultaten/\d+/bestuur/"), "board dashboard"),
    ("GET", re.compile(r"^/meetrondes/\d+/voortgang/$"), "progress page"),
    ("GET", re.compile(r"^/health/$"), "/health/"),
]


def server_times(logs: list[Path]) -> dict[str, dict[str, float]]:
    """The server's own time per endpoint (p50/p95/p99 ms, from gunicorn's access logs): what
    the app took, without the client's side or the wait for a free worker thread."""
    times: dict[str, list[float]] = {}
    for log in logs:
        if not log.exists():
            continue
        for line in log.read_text().splitlines():
            parts = line.split()
            if len(parts) != 4 or not parts[3].isdigit():
                continue
            method, path, _status, micros = parts
            for want, pattern, name in ENDPOINTS:
                if method == want and pattern.match(path):
                    times.setdefault(name, []).append(int(micros) / 1000)
                    break
    figures = {}
    for name, values in times.items():
        values.sort()
        figures[name] = {
            "requests": len(values),
            **{
                f"p{q}_ms": round(values[min(len(values) - 1, len(values) * q // 100)], 1)
                for q in (50, 95, 99)
            },
        }
    return figures


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def app_env(args: argparse.Namespace, var_dir: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))}
    env.update(
        {
            "DATABASE_URL": args.database,
            "CACHE_URL": args.cache,
            "SELFSCAN_VAR_DIR": var_dir,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "load-benchmark-" + "k" * 50,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "CELERY_BROKER_URL": "",
            "CELERY_RESULT_BACKEND": "",
        }
    )
    return env


def wait_health(url: str, seconds: int = 300) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url + "/health/", timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"{url} did not answer /health/")


def cpu_times() -> list[int]:
    """/proc/stat's first line: user, nice, system, idle, iowait, irq, softirq, steal (ticks)."""
    with open("/proc/stat") as handle:
        return [int(x) for x in handle.readline().split()[1:9]]


def cpu_shares(before: list[int], after: list[int]) -> dict[str, float]:
    """Where the machine's CPU went during the run, in % of all cores: `nice` is every niced
    process (the other engineers' tests at nice 19 on a shared machine), `busy` the rest (this
    benchmark: gunicorn, PostgreSQL, Redis, locust), `idle` what was left."""
    delta = [b - a for a, b in zip(before, after, strict=True)]
    total = sum(delta) or 1
    user, nice, system, idle, iowait, irq, softirq, steal = delta
    return {
        "busy": round(100 * (user + system + irq + softirq + steal) / total, 1),
        "nice": round(100 * nice / total, 1),
        "idle": round(100 * (idle + iowait) / total, 1),
    }


TICK = os.sysconf("SC_CLK_TCK")


def process_cpu(pid: int) -> float:
    """Seconds of CPU (user + system) a process has used so far; 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    if int(handle.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except OSError:
                continue
    return found


def backends(database_url: str) -> list[int]:
    """The PostgreSQL server processes connected to the benchmark's database."""
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    with psycopg.connect(database_url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        ).fetchall()
    return [row[0] for row in rows]


def server_cpu(masters: list[int], database_url: str) -> dict[int, float]:
    """CPU seconds so far of every gunicorn process and of the database's backends, by pid."""
    pids = [*masters, *(c for m in masters for c in children(m)), *backends(database_url)]
    return {pid: process_cpu(pid) for pid in pids}


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def stop_servers(servers: list[subprocess.Popen[bytes]]) -> None:
    """Stop the gunicorn instances and every worker of theirs before the next run resets the
    data. Gunicorn lets workers finish their requests for up to 30 s (its graceful timeout);
    killing only the master after a shorter wait left its workers running on their own, and a
    submit that had waited out the run on a lock committed after the next run had reset the
    scans: that team's saves in the next run were refused as "ingediend" (RESULTS-load.md)."""
    for server in servers:
        server.send_signal(signal.SIGTERM)
    deadline = time.time() + 45
    for server in servers:
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=max(1.0, deadline - time.time()))
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)  # the group: the master and its workers
        server.wait()


def run_scenario(args: argparse.Namespace, name: str) -> dict[str, Any]:
    scenario = SCENARIOS[name]
    app_dir = Path(args.app_dir).resolve()
    python = str(app_dir / ".venv" / "bin" / "python")
    var_dir = tempfile.mkdtemp(prefix="selfscan-load-")
    env = {**app_env(args, var_dir), "BENCH_TEAMS": str(args.teams or scenario["teams"])}
    plan = Path(var_dir) / "plan.json"
    # The data is made (and the database migrated) by the code under test, in its own venv.
    subprocess.run(
        [python, str(ROOT / "benchmarks/load/setup_data.py"), str(scenario["size"]), str(plan)],
        cwd=app_dir, env={**env, "BENCH_APP_DIR": str(app_dir)}, check=True,
    )  # fmt: skip
    subprocess.run(
        [python, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=app_dir, env=env, check=True,
    )  # fmt: skip
    workers = max(1, args.workers // args.instances)
    gunicorn_args = ["--workers", str(workers), "--timeout", "120"]
    access_logs = []
    if args.threads > 1:
        # Keep-alive longer than any client's idle time, as behind a proxy (docs/scaling.md):
        # with gunicorn's 2 s default a team pausing 3 s between saves found its connection
        # closed by the server just as it sent the next request.
        gunicorn_args += [
            "--worker-class", "gthread", "--threads", str(args.threads), "--keep-alive", "75"
        ]  # fmt: skip
    servers, hosts = [], []
    for _ in range(args.instances):
        port = free_port()
        log = open(Path(var_dir) / f"gunicorn-{port}.log", "wb")  # noqa: SIM115
        access_logs.append(Path(var_dir) / f"access-{port}.log")
        servers.append(
            subprocess.Popen(
                [
                    python,
                    "-m",
                    "gunicorn",
                    "selfscan.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{port}",
                    *gunicorn_args,
                    "--access-logfile",
                    str(access_logs[-1]),
                    "--access-logformat",
                    ACCESS_FORMAT,
                ],
                cwd=app_dir,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                # Its own process group, so that stop_servers() can end the workers too.
                start_new_session=True,
            )
        )
        hosts.append(f"http://127.0.0.1:{port}")
    try:
        for host in hosts:
            wait_health(host)
        load_before = os.getloadavg()
        cpu_before = cpu_times()
        masters = [server.pid for server in servers]
        server_before = server_cpu(masters, args.database)
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        prefix = Path(var_dir) / "locust"
        users = (args.teams or scenario["teams"]) + 5
        locust_env = {
            **env,
            "BENCH_PLAN": str(plan),
            "BENCH_HOSTS": ",".join(hosts),
            "BENCH_PACING": str(scenario["pacing"]),
            "BENCH_SAVES": str(scenario["saves"]),
        }
        started = time.time()
        subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(ROOT / "benchmarks/load/locustfile.py"),
             "--headless", "-u", str(users), "-r", str(args.spawn_rate), "-t", f"{args.duration}s",
             "--host", hosts[0], "--csv", str(prefix), "--csv-full-history", "--only-summary",
             "--stop-timeout", "10", "--loglevel", "WARNING"],
            cwd=ROOT, env=locust_env, check=False, timeout=args.duration + 120,
        )  # fmt: skip
        elapsed = time.time() - started
        load_after = os.getloadavg()
        cpu = cpu_shares(cpu_before, cpu_times())
        server_after = server_cpu(masters, args.database)
        gunicorn_pids = {*masters, *(c for m in masters for c in children(m))}
        spent = {
            pid: seconds - server_before.get(pid, 0.0) for pid, seconds in server_after.items()
        }
        children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu_seconds = {
            "gunicorn": round(sum(v for pid, v in spent.items() if pid in gunicorn_pids), 2),
            "postgres": round(sum(v for pid, v in spent.items() if pid not in gunicorn_pids), 2),
            "locust": round(
                children_after.ru_utime
                + children_after.ru_stime
                - children_before.ru_utime
                - children_before.ru_stime,
                2,
            ),
        }
    finally:
        stop_servers(servers)
    endpoints = {}
    with open(f"{prefix}_stats.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            endpoints[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50_ms": float(row["50%"] or 0),
                "p95_ms": float(row["95%"] or 0),
                "p99_ms": float(row["99%"] or 0),
                "rps": float(row["Requests/s"] or 0),
            }
    failures = []
    if Path(f"{prefix}_failures.csv").exists():
        with open(f"{prefix}_failures.csv", newline="") as handle:
            failures = [
                {"endpoint": row["Name"], "error": row["Error"], "count": int(row["Occurrences"])}
                for row in csv.DictReader(handle)
            ]
    saves = endpoints.get("autosave", {})
    total = endpoints.get("Aggregated", {}).get("requests", 0)
    timeline = autosave_timeline(Path(f"{prefix}_stats_history.csv"))
    return {
        "label": args.label,
        "scenario": name,
        "instances": args.instances,
        "workers": args.workers,
        "duration_s": args.duration,
        "elapsed_s": round(elapsed, 1),
        "users": users,
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in load_after],
        "cpu_percent": cpu,
        "cpu_seconds": cpu_seconds,
        "server_cpu_ms_per_request": round(
            1000 * (cpu_seconds["gunicorn"] + cpu_seconds["postgres"]) / max(1, total), 2
        ),
        "gunicorn": gunicorn_args,
        "saves_per_s": round(
            (saves.get("requests", 0) - saves.get("failures", 0)) / args.duration, 1
        ),
        "endpoints": endpoints,
        "failures": failures,
        "server_times": server_times(access_logs),
        "autosave_timeline": timeline,
    }


def autosave_timeline(history: Path, every: int = 5) -> list[dict[str, Any]]:
    """The autosave's latency over the run, every `every` seconds: locust's percentiles of the
    last 10 seconds' requests at that moment, and the saves per second. A whole run's p95 mixes
    the teams' arrival (everyone opens a step), the steady saving and the submits at the end;
    the timeline tells them apart."""
    if not history.exists():
        return []
    rows = [row for row in csv.DictReader(history.open(newline="")) if row["Name"] == "autosave"]
    if not rows:
        return []
    start = int(rows[0]["Timestamp"])
    points = []
    for row in rows:
        second = int(row["Timestamp"]) - start
        if second % every == 0 and row["95%"] not in ("", "N/A"):
            points.append(
                {
                    "second": second,
                    "saves_per_s": round(float(row["Requests/s"] or 0), 1),
                    "p50_ms": float(row["50%"]),
                    "p95_ms": float(row["95%"]),
                }
            )
    return points


def markdown(result: dict[str, Any]) -> str:
    lines = [
        f"**{result['label']} · {result['scenario']} · {result['instances']} instance(s), "
        f"{result['workers']} workers** — {result['users']} users, {result['duration_s']} s, "
        f"saves/s {result['saves_per_s']}, load average before {result['load_before']}, "
        f"after {result['load_after']}, CPU {result['cpu_percent']}; CPU seconds "
        f"{result['cpu_seconds']}, server CPU per request "
        f"{result['server_cpu_ms_per_request']} ms",
        "",
        "| endpoint | requests | errors | p50 ms | p95 ms | p99 ms | server p50 / p95 / p99 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, e in sorted(result["endpoints"].items()):
        server = result.get("server_times", {}).get(name)
        own = f"{server['p50_ms']} / {server['p95_ms']} / {server['p99_ms']}" if server else ""
        lines.append(
            f"| {name} | {e['requests']} | {e['failures']} | {e['p50_ms']:.0f} | "
            f"{e['p95_ms']:.0f} | {e['p99_ms']:.0f} | {own} |"
        )
    for failure in result.get("failures", []):
        lines.append(f"\nerror ×{failure['count']} at {failure['endpoint']}: {failure['error']}")
    if result.get("autosave_timeline"):
        lines += ["", "autosave over the run (second: saves/s, p50/p95 ms of the last 10 s):"]
        lines.append(
            ", ".join(
                f"{p['second']}s: {p['saves_per_s']}/s {p['p50_ms']:.0f}/{p['p95_ms']:.0f}"
                for p in result["autosave_timeline"]
            )
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scenario", choices=[*SCENARIOS, "all"], default="all")
    parser.add_argument(
        "--app-dir", default=str(ROOT), help="the code gunicorn runs (with its .venv)"
    )
    parser.add_argument("--label", default="this tree")
    parser.add_argument("--instances", type=int, default=1)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers in all")
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per worker (>1: gthread workers)"
    )
    parser.add_argument("--teams", type=int, default=0, help="override the scenario's teams")
    parser.add_argument("--duration", type=int, default=45)
    parser.add_argument("--spawn-rate", type=int, default=20)
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--cache", default=os.environ.get("BENCH_CACHE_URL", DEFAULT_CACHE))
    args = parser.parse_args()
    for url in (args.database, args.cache):
        host = url.split("@")[-1].split("//")[-1].split(":")[0].split("/")[0]
        assert host in ("127.0.0.1", "localhost"), "the load benchmark only targets loopback"
    ensure_database(args.database)
    names = list(SCENARIOS) if args.scenario == "all" else [args.scenario]
    store = ROOT / "benchmarks/load/results.json"
    results = json.loads(store.read_text()) if store.exists() else []
    for name in names:
        result = run_scenario(args, name)
        results.append(result)
        store.write_text(json.dumps(results, indent=1))
        print(markdown(result), flush=True)


if __name__ == "__main__":
    main()
