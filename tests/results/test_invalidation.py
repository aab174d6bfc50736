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
