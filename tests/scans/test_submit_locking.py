"""Which row locks a submit takes on PostgreSQL (docs/decisions/0277).

A submit holds its round's row in SHARE mode and its own scan FOR UPDATE: submits of other
scans of the round go ahead at the same time (they take turns only for the round's results), and
a close of the round waits for the submit, or the submit, coming second, sees the round closed.
Each test holds a lock in one thread (its own connection, its own transaction) while another
thread tries its step with a short `lock_timeout`, so a wrong lock shows as an error, not as a
slow test. SQLite has one writer at a time and no row locks: these tests are PostgreSQL's.
"""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import OperationalError, connection, connections, transaction

from selfscan.rounds.models import Round
from selfscan.rounds.services import close_round
from selfscan.scans.models import Scan
from selfscan.scans.progress import applicable_statements
from selfscan.scans.services import ScanError, _lock_for_status_change, save_answer, submit_scan
from tests.factories import make_norm_version
from tests.scans.factories import make_round

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks: PostgreSQL (SQLite has none)"
    ),
]


def holding(hold: Callable[[], Any]) -> tuple[threading.Event, threading.Event, list[Any]]:
    """Run `hold` in a transaction of its own thread and keep that transaction open until the
    returned `release` is set. Returns (held, release, errors)."""
    held, release, errors = threading.Event(), threading.Event(), []

    def run() -> None:
        try:
            with transaction.atomic():
                hold()
                held.set()
                assert release.wait(timeout=30)
        except BaseException as error:  # reported in the test's thread
            errors.append(error)
            held.set()
        finally:
            connections.close_all()

    threading.Thread(target=run, daemon=True).start()
    assert held.wait(timeout=30)
    return held, release, errors


def started(job: Callable[[], Any], lock_timeout: str = "") -> tuple[threading.Thread, list[Any]]:
    """Start `job` in a thread of its own (own connection); with `lock_timeout`, inside a
    transaction that waits at most that long for a lock. Returns the thread and the list that
    receives its result, or the exception it raised."""
    out: list[Any] = []

    def run() -> None:
        try:
            if not lock_timeout:
                out.append(job())
                return
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = %s", [lock_timeout])
                out.append(job())
        except BaseException as error:
            out.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, out


def in_thread(job: Callable[[], Any]) -> Any:
    """Run `job` in a transaction of its own thread (own connection) with a 2 s lock timeout;
    its result, or the exception it raised."""
    thread, out = started(job, lock_timeout="2s")
    thread.join(timeout=60)
    return out[0]


def while_submit_under_way(scan: Scan, job: Callable[[], Any]) -> Any:
    """`job`'s outcome (`in_thread`) while another transaction holds `scan` as a submit does."""
    _, release, errors = holding(lambda: _lock_for_status_change(scan.pk))
    try:
        return in_thread(job)
    finally:
        release.set()
        assert not errors, errors


@pytest.fixture
def scans(world):
    version = make_norm_version(key="slot", themes=2, statements_per_theme=3, nvt_every=0)
    round_ = make_round(version=version, schools=[world.school_a1, world.school_a2])
    scans = list(Scan.objects.filter(round=round_).order_by("pk"))
    user = world.user("staff")
    for scan in scans:
        for statement in applicable_statements(scan.norm_version_id, scan.sector):
            save_answer(
                scan=scan, statement_id=statement.pk, by=user, value="3", expected_version=0
            )
    return scans


def test_a_submit_does_not_wait_for_another_scans_submit_of_the_round(scans):
    first, second = scans
    # FOR UPDATE of the round's row (as before) made this wait for the first submit's whole
    # transaction: here a lock timeout error.
    locked = while_submit_under_way(first, lambda: _lock_for_status_change(second.pk))
    assert isinstance(locked, Scan), locked
    assert locked.pk == second.pk and locked.round.status == Round.Status.OPEN


def test_the_same_scan_waits_for_a_submit_under_way(scans):
    first, _ = scans
    waited = while_submit_under_way(first, lambda: _lock_for_status_change(first.pk))
    assert isinstance(waited, OperationalError), waited
    assert "lock" in str(waited)


def test_closing_the_round_waits_for_a_submit_under_way(scans, world):
    first, _ = scans
    staff = world.user("staff")
    closing = while_submit_under_way(first, lambda: close_round(round_=first.round, by=staff))
    assert isinstance(closing, OperationalError), closing
    assert Round.objects.get(pk=first.round_id).status == Round.Status.OPEN


def test_a_submit_that_comes_second_to_a_close_sees_the_round_closed(scans, world):
    first, _ = scans
    staff = world.user("staff")

    def close_in_progress() -> None:  # close_round's lock and change, not yet committed
        locked = Round.objects.select_for_update().get(pk=first.round_id)
        locked.status = Round.Status.CLOSED
        locked.save(update_fields=["status"])

    _, release, errors = holding(close_in_progress)
    thread, outcome = started(lambda: submit_scan(scan=first, by=staff))
    thread.join(timeout=1)
    waiting = thread.is_alive()  # the submit waits for the close's transaction
    release.set()
    thread.join(timeout=30)
    assert not errors, errors
    assert waiting
    assert isinstance(outcome[0], ScanError), outcome
    assert Scan.objects.get(pk=first.pk).status != Scan.Status.SUBMITTED
    assert Round.objects.get(pk=first.round_id).status == Round.Status.CLOSED
