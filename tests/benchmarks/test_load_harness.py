"""The load benchmark's own parts that decide what it reports: the teams' pacing (a harness
that makes teams save in step measures its own bursts, not the app) and the server's own
times read from gunicorn's access log."""

import itertools
import random
from pathlib import Path

import pytest

from benchmarks.load.pacing import Pace
from benchmarks.load.run import ACCESS_FORMAT, server_times


def _first_tasks(teams: int, batch: int, seconds: float, rounds: int) -> list[float]:
    """When `teams` teams start their tasks, made as locust makes users: `batch` at the same
    instant each second; each runs its task in 10 ms."""
    rng = random.Random(18)
    starts = []
    for index in range(teams):
        made = float(index // batch)
        pace = Pace(seconds, rng)
        now = made + pace.start(made)
        for _ in range(rounds):
            starts.append(now)
            now += 0.010
            now += pace.wait(now)
    return sorted(starts)


def test_teams_made_at_the_same_instant_do_not_save_in_step() -> None:
    starts = _first_tasks(teams=100, batch=20, seconds=3.0, rounds=10)
    window = [sum(1 for t in starts if abs(t - s) <= 0.020) - 1 for s in starts]
    # Random phases: about 100 / 3 s * 0.04 s = 1.3 neighbours within 20 ms. In step (the
    # phase of locust's constant_pacing) every save had 19 or more.
    assert sum(window) / len(window) < 3
    assert max(window) < 10


def test_each_team_keeps_one_task_per_pace() -> None:
    pace = Pace(3.0, random.Random(1))
    first = pace.start(100.0)
    assert 0 <= first < 3.0
    now = 100.0 + first
    times = [now]
    for _ in range(5):
        now += 0.2  # the task
        now += pace.wait(now)
        times.append(now)
    assert [round(b - a, 6) for a, b in itertools.pairwise(times)] == [3.0] * 5


def test_a_late_task_moves_the_schedule_on_instead_of_catching_up() -> None:
    pace = Pace(3.0, random.Random(2))
    now = 10.0 + pace.start(10.0)
    now += 7.5  # a task that took longer than two paces
    assert pace.wait(now) == 0.0
    # Then one pace from there, not two tasks at once.
    assert pace.wait(now + 0.1) == pytest.approx(2.9)


def test_server_times_per_endpoint_from_the_access_log(tmp_path: Path) -> None:
    assert ACCESS_FORMAT == "%(m)s %(U)s %(s)s %(D)s"  # the lines below are in this format
    log = tmp_path / "access.log"
    saves = [f"POST /zelfscan/7/opslaan/ 200 {ms * 1000}" for ms in range(1, 101)]
    log.write_text(
        "\n".join(
            [
                *saves,
                "POST /zelfscan/7/indienen/ 302 250000",
                "GET /health/ 200 1500",
                "GET /zelfscan/7/opslaan/ 405 900",  # not an autosave: a GET
                "GET /elders/ 200 1000",  # no endpoint of the benchmark
                "a line gunicorn did not write",
            ]
        )
    )
    figures = server_times([log, tmp_path / "absent.log"])
    assert figures["autosave"] == {"requests": 100, "p50_ms": 51.0, "p95_ms": 96.0, "p99_ms": 100.0}
    assert figures["submit"]["p50_ms"] == 250.0
    assert figures["/health/"] == {"requests": 1, "p50_ms": 1.5, "p95_ms": 1.5, "p99_ms": 1.5}
    assert set(figures) == {"autosave", "submit", "/health/"}
