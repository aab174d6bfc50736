"""Stored aggregates follow the scans: submit and reopen update them in place, closing a round
computes them once (through the task, in-process here), an import refreshes them."""

from typing import Any
from unittest import mock

import pytest

from selfscan.results.models import AggregateRow, ResultState
from selfscan.results.services import data_version, ensure_results, results_state
from selfscan.results.tasks import compute_round_results
from selfscan.rounds.services import close_round
from selfscan.scans.models import Scan
from selfscan.scans.services import reopen_scan, save_answer, submit_scan
from tests.factories import make_norm_version
from tests.scans.factories import make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_round(world: Any):
    version = make_norm_version(key="inval", themes=1, statements_per_theme=2, nvt_every=0)
    return make_round(version=version, schools=[world.school_a1, world.school_b1])


def _answer_all(scan: Scan, user: Any) -> None:
    for statement in scan.norm_version.statements.all():
        result = save_answer(
            scan=scan, statement_id=statement.pk, value="3", by=user, expected_version=0
        )
        assert not result.conflict


def test_submit_updates_the_stored_results_in_place(world, open_round):
    ensure_results(open_round)
    scan = Scan.objects.get(round=open_round, school=world.school_a1)
    _answer_all(scan, world.user("school"))
    with mock.patch("selfscan.results.services.aggregate_round") as full:
        submit_scan(scan=scan, by=world.user("school"))
    full.assert_not_called()
    state = ResultState.objects.get(round=open_round)
    assert state.data_version == data_version(open_round)
    city = AggregateRow.objects.get(round=open_round, level="city", theme__isnull=True)
    assert (city.invited, city.submitted, city.meeting) == (2, 1, 1)


def test_reopen_updates_the_stored_results_in_place(world, open_round):
    scan = Scan.objects.get(round=open_round, school=world.school_a1)
    _answer_all(scan, world.user("school"))
    submit_scan(scan=scan, by=world.user("school"))
    ensure_results(open_round)
    with mock.patch("selfscan.results.services.aggregate_round") as full:
        reopen_scan(scan=scan, by=world.user("staff"), reason="Verkeerd antwoord bij T01")
    full.assert_not_called()
    assert ResultState.objects.get(round=open_round).data_version == data_version(open_round)
    city = AggregateRow.objects.get(round=open_round, level="city", theme__isnull=True)
    assert (city.invited, city.submitted, city.meeting) == (2, 0, 0)


def test_a_submit_on_stale_rows_sends_the_recompute_away_and_logs_why(
    world, open_round, caplog, django_capture_on_commit_callbacks
):
    ensure_results(open_round)
    ResultState.objects.filter(round=open_round).update(data_version="stale")
    scan = Scan.objects.get(round=open_round, school=world.school_a1)
    _answer_all(scan, world.user("school"))
    with (
        mock.patch("selfscan.results.tasks.compute_round_results.delay") as delay,
        mock.patch("selfscan.results.services.aggregate_round") as full,
        django_capture_on_commit_callbacks(execute=True),
        caplog.at_level("INFO", logger="selfscan.results.services"),
    ):
        submit_scan(scan=scan, by=world.user("school"))
    full.assert_not_called()  # not in the request
    delay.assert_called_once_with(open_round.pk)
    assert [r.getMessage() for r in caplog.records] == [
        f"results: round {open_round.pk}: full recompute after scan {scan.pk} "
        "(stored rows not current)"
    ]


def test_stale_rows_are_shown_while_the_recompute_runs_in_the_background(
    world, open_round, django_capture_on_commit_callbacks
):
    ensure_results(open_round)
    ResultState.objects.filter(round=open_round).update(data_version="")
    with (
        mock.patch("selfscan.results.tasks.compute_round_results.delay") as delay,
        mock.patch("selfscan.results.services.aggregate_round") as full,
        django_capture_on_commit_callbacks(execute=True),
    ):
        ensure_results(open_round)
    full.assert_not_called()
    delay.assert_called_once_with(open_round.pk)
    assert AggregateRow.objects.filter(round=open_round, level="city").exists()
    assert results_state(open_round).is_current is False


def test_closing_a_round_stores_its_results_once(
    world, open_round, django_capture_on_commit_callbacks
):
    scan = Scan.objects.get(round=open_round, school=world.school_a1)
    _answer_all(scan, world.user("school"))
    submit_scan(scan=scan, by=world.user("school"))
    with (
        mock.patch("selfscan.results.tasks.compute_round_results.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        close_round(round_=open_round, by=world.user("staff"))
    delay.assert_called_once_with(open_round.pk)  # enqueued after commit, for a worker
    compute_round_results(open_round.pk)  # what the worker then runs
    compute_round_results(open_round.pk)  # twice does no harm
    state = ResultState.objects.get(round=open_round)
    assert state.data_version.split(":")[-1] == str(open_round.threshold_percent)
    city = AggregateRow.objects.get(round=open_round, level="city", theme__isnull=True)
    assert (city.invited, city.submitted, city.meeting) == (2, 1, 1)


def test_a_recompute_that_finishes_after_a_submit_does_not_replace_the_newer_rows(
    world, open_round
):
    """A full recompute reads the round, a submit lands and updates the stored rows in place,
    then the recompute stores what it read: the submit's rows stay, and the next submit can
    still update in place (no cascade of recomputes)."""
    from selfscan.results.aggregation import aggregate_round
    from selfscan.results.services import store_results

    ensure_results(open_round)
    first = Scan.objects.get(round=open_round, school=world.school_a1)
    second = Scan.objects.get(round=open_round, school=world.school_b1)
    _answer_all(first, world.user("school"))
    _answer_all(second, world.user("other_school"))
    old_version = data_version(open_round)
    old_rows = aggregate_round(open_round.pk, threshold=open_round.threshold_percent)

    submit_scan(scan=first, by=world.user("school"))  # in place: the state moves on
    store_results(open_round, old_rows, old_version)  # the slow recompute arrives late

    state = ResultState.objects.get(round=open_round)
    assert state.data_version == data_version(open_round) != old_version
    city = AggregateRow.objects.get(round=open_round, level="city", theme__isnull=True)
    assert city.submitted == 1
    with mock.patch("selfscan.results.services.aggregate_round") as full:
        submit_scan(scan=second, by=world.user("other_school"))
    full.assert_not_called()
    city = AggregateRow.objects.get(round=open_round, level="city", theme__isnull=True)
    assert city.submitted == 2
    assert ResultState.objects.get(round=open_round).data_version == data_version(open_round)


def test_a_submit_between_the_pages_two_reads_sends_no_recompute(
    world, open_round, django_capture_on_commit_callbacks
):
    """`ensure_results` reads the round's data version, then the stored one; a submit that
    commits in between makes them differ for a moment. It reads the data version again
    instead of sending a full recompute for nothing."""
    from selfscan.results import services

    ensure_results(open_round)
    scan = Scan.objects.get(round=open_round, school=world.school_a1)
    _answer_all(scan, world.user("school"))
    before = data_version(open_round)
    real = services.data_version
    reads = []

    def racing(round_):
        reads.append(round_.pk)
        if len(reads) == 1:
            submit_scan(scan=scan, by=world.user("school"))  # lands right after this read
            return before
        return real(round_)

    with (
        mock.patch.object(services, "data_version", racing),
        mock.patch("selfscan.results.tasks.compute_round_results.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        ensure_results(open_round)
    delay.assert_not_called()
    assert len(reads) == 2
    assert results_state(open_round).is_current
