#!/usr/bin/env python
"""A cross-check for locust's latencies: N threads, each a school team that autosaves every
PACE seconds over plain `http.client` (a new connection per request, as with sync workers; with
`--keep-alive` one connection per team, reused, as locust's users do), and the autosave's p50 and
p95 as this client sees them.

    uv run --frozen python benchmarks/load/setup_data.py 100 /tmp/plan.json   # the teams
    # an app server on 127.0.0.1:PORT against the same database (as run.py starts it), then:
    uv run --frozen python benchmarks/load/paced_client.py /tmp/plan.json PORT --teams 100 \
        --pace 3 --duration 25

Loopback only. The teams start at the same instant, so the first seconds are a burst; with
`--spread` each team first waits a random part of PACE, as locust's spawning spreads them.
"""

import argparse
import http.client
import json
import random
import threading
import time
import urllib.parse
from typing import Any


def team(plan: dict[str, Any], member: dict[str, Any], args: argparse.Namespace, out: list[float]):
    cookies = {"sessionid": member["session"]}
    kept: list[http.client.HTTPConnection] = []

    def request(
        method: str, url: str, body: str | None = None, headers: dict[str, str] | None = None
    ):
        if kept:
            connection = kept.pop()
        else:
            connection = http.client.HTTPConnection("127.0.0.1", args.port, timeout=120)
        sent = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
        sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        connection.request(method, url, body=body, headers={**sent, **(headers or {})})
        response = connection.getresponse()
        data = response.read()
        for key, value in response.getheaders():
            if key.lower() == "set-cookie":
                name, rest = value.split(";", 1)[0].split("=", 1)
                cookies[name] = rest
        if args.keep_alive and not response.will_close:
            kept.append(connection)
        else:
            connection.close()
        return response.status, data

    request("GET", f"/zelfscan/{member['scan']}/invullen/{plan['first_step']}/")
    token, i = cookies["csrftoken"], 0
    versions: dict[int, int] = {}
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-CSRFToken": token,
        "X-Requested-With": "XMLHttpRequest",
        "Referer": "https://127.0.0.1/",
    }
    if args.spread:
        time.sleep(random.random() * args.pace)
    end = time.monotonic() + args.duration
    while time.monotonic() < end:
        started = time.monotonic()
        sid = plan["statements"][i % len(plan["statements"])]
        body = urllib.parse.urlencode(
            {"statement": sid, "value": "1234"[i % 4], "version": versions.get(sid, 0)}
        )
        clock = time.perf_counter()
        status, data = request("POST", f"/zelfscan/{member['scan']}/opslaan/", body, headers)
        out.append(1000 * (time.perf_counter() - clock))
        assert status in (200, 409), (status, data[:200])
        versions[sid] = json.loads(data)["version"]
        i += 1
        time.sleep(max(0.0, args.pace - (time.monotonic() - started)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("plan")
    parser.add_argument("port", type=int)
    parser.add_argument("--teams", type=int, default=100)
    parser.add_argument("--pace", type=float, default=3.0)
    parser.add_argument("--duration", type=float, default=25.0)
    parser.add_argument("--keep-alive", action="store_true", help="one connection per team")
    parser.add_argument("--spread", action="store_true", help="teams start spread over PACE")
    args = parser.parse_args()
    plan = json.loads(open(args.plan).read())  # noqa: SIM115
    latencies: list[float] = []
    threads = [
        threading.Thread(target=team, args=(plan, member, args, latencies))
        for member in plan["teams"][: args.teams]
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    print(
        f"{len(latencies)} saves, p50 {latencies[len(latencies) // 2]:.1f} ms, "
        f"p95 {latencies[int(len(latencies) * 0.95)]:.1f} ms"
    )


if __name__ == "__main__":
    main()
