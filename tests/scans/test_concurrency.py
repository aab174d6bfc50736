"""Two team members at once on one scan.

On PostgreSQL the two clients run in two threads, each with its own database connection, and
really race. SQLite (in-memory test database) cannot take two writers at once, so there the same
clients run interleaved in one thread; the optimistic-locking outcome asserted is the same.
"""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from selfscan.norms.models import Statement
from selfscan.scans.models import Answer, AnswerChange, Scan
from tests.factories import UserFactory, make_norm_version
from tests.scans.factories import make_round

pytestmark = pytest.mark.django_db(transaction=True)

ON_POSTGRES = connection.vendor == "postgresql"


def run_concurrently(jobs: list[Callable[[], Any]]) -> list[Any]:
    """Run each job in its own thread (own DB connection) starting together; return results."""
    results: list[Any] = [None] * len(jobs)
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(jobs))

    def runner(i: int, job: Callable[[], Any]) -> None:
        from django.db import connections

        try:
            barrier.wait(timeout=30)
            results[i] = job()
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    return results


def team(world: Any, scan: Scan) -> list[Client]:
    clients = []
    for n in range(2):
        user = UserFactory(email=f"lid{n}@example.org", schools=[scan.school])
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


@pytest.fixture
def big_scan(world):
    version = make_norm_version(key="groot", themes=10, statements_per_theme=20, nvt_every=0)
    round_ = make_round(version=version, schools=[world.school_a1])
    return Scan.objects.get(round=round_)


def test_two_clients_save_200_interleaved_answers(world, big_scan):
    a, b = team(world, big_scan)
    url = reverse("scans:save", kwargs={"pk": big_scan.pk})
    ids = list(Statement.objects.filter(version=big_scan.norm_version).values_list("pk", flat=True))
    assert len(ids) == 200
    evens, odds = ids[0::2], ids[1::2]

    def save_all(client: Client, statement_ids: list[int], value: str) -> list[int]:
        return [
            client.post(url, {"statement": sid, "value": value, "version": 0}).status_code
            for sid in statement_ids
        ]

    if ON_POSTGRES:
        codes_a, codes_b = run_concurrently(
            [lambda: save_all(a, evens, "3"), lambda: save_all(b, odds, "4")]
        )
    else:
        codes_a, codes_b = [], []
        for even, odd in zip(evens, odds, strict=True):
            codes_a += save_all(a, [even], "3")
            codes_b += save_all(b, [odd], "4")
    assert codes_a == [200] * 100
    assert codes_b == [200] * 100
    stored = dict(Answer.objects.filter(scan=big_scan).values_list("statement_id", "value"))
    assert len(stored) == 200
    assert all(stored[sid] == "3" for sid in evens)
    assert all(stored[sid] == "4" for sid in odds)
    assert AnswerChange.objects.filter(answer__scan=big_scan).count() == 200


@pytest.mark.parametrize("existing", [False, True], ids=["new-answer", "existing-answer"])
def test_same_statement_race_gives_exactly_one_conflict(world, big_scan, existing):
    a, b = team(world, big_scan)
    url = reverse("scans:save", kwargs={"pk": big_scan.pk})
    sid = Statement.objects.filter(version=big_scan.norm_version).values_list("pk", flat=True)[0]
    seen = 0
    if existing:
        assert a.post(url, {"statement": sid, "value": "2", "version": 0}).status_code == 200
        seen = 1  # both clients loaded the page after that save

    def save(client: Client, value: str) -> Any:
        return client.post(url, {"statement": sid, "value": value, "version": seen})

    if ON_POSTGRES:
        responses = run_concurrently([lambda: save(a, "1"), lambda: save(b, "4")])
    else:
        responses = [save(a, "1"), save(b, "4")]
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200, 409]
    winner = next(r for r in responses if r.status_code == 200)
    loser = next(r for r in responses if r.status_code == 409)
    answer = Answer.objects.get(scan=big_scan, statement_id=sid)
    # no silent overwrite: the stored value is the winner's, and the loser was told about it
    assert answer.version == seen + 1
    assert loser.json()["theirs"]["value"] == answer.value
    assert answer.value == ("1" if winner is responses[0] else "4")
    assert "Kies: hun antwoord houden of uw antwoord opslaan." in loser.json()["message"]
    assert AnswerChange.objects.filter(answer=answer).count() == seen + 1
