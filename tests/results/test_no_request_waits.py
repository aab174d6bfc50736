"""No request runs the full aggregation of a round once its results are stored: a deadline
rush of saves, submits, reopens and dashboard views only updates the affected rows
(docs/decisions/0210)."""

from typing import Any
from unittest import mock

import pytest
from django.urls import reverse

from selfscan.norms.models import Statement
from selfscan.results.models import AggregateRow
from selfscan.results.services import ensure_results
from selfscan.scans.models import Scan
from tests.factories import make_norm_version
from tests.scans.factories import make_round

pytestmark = pytest.mark.django_db


def _forbidden(*args: Any, **kwargs: Any) -> None:
    raise AssertionError("a request ran the full aggregation")


def test_saves_submits_reopens_and_dashboards_never_run_the_full_aggregation(world, client):
    version = make_norm_version(key="rush", themes=2, statements_per_theme=2, nvt_every=0)
    round_ = make_round(version=version, schools=[world.school_a1, world.school_b1])
    ensure_results(round_)  # the round's first store (the worker does it when a round opens)
    scan = Scan.objects.get(round=round_, school=world.school_a1)
    school, staff = world.user("school"), world.user("staff")
    statements = Statement.objects.filter(version=version)
    with (
        mock.patch("selfscan.results.services.aggregate_round", _forbidden),
        mock.patch("selfscan.results.aggregation.load_round", _forbidden),
    ):
        client.force_login(school)
        for statement in statements:
            response = client.post(
                reverse("scans:save", kwargs={"pk": scan.pk}),
                {"statement": statement.pk, "value": "4", "version": 0},
            )
            assert response.status_code == 200
        response = client.post(reverse("scans:submit", kwargs={"pk": scan.pk}), {"confirm": "1"})
        assert response.status_code == 302
        overview = reverse(
            "results:school_overview",
            kwargs={"round_id": round_.pk, "school_id": world.school_a1.pk},
        )
        assert client.get(overview).status_code == 200
        client.force_login(staff)
        city = reverse("results:city_dashboard", kwargs={"round_id": round_.pk})
        assert client.get(city).status_code == 200
        row = AggregateRow.objects.get(round=round_, level="city", theme__isnull=True)
        assert (row.submitted, row.meeting) == (1, 1)
        response = client.post(
            reverse("rounds:reopen_scan", kwargs={"pk": scan.pk}), {"reason": "Controle"}
        )
        assert response.status_code == 302
        assert client.get(city).status_code == 200
        row = AggregateRow.objects.get(round=round_, level="city", theme__isnull=True)
        assert (row.submitted, row.meeting) == (0, 0)
        client.force_login(world.user("board"))
        board = reverse(
            "results:board_dashboard",
            kwargs={"round_id": round_.pk, "bestuur_id": world.bestuur_a.pk},
        )
        assert client.get(board).status_code == 200


def test_a_page_shows_stale_rows_with_their_date_while_the_worker_recomputes(
    world, client, django_capture_on_commit_callbacks
):
    from selfscan.results.models import ResultState

    version = make_norm_version(key="stale", themes=1, statements_per_theme=2, nvt_every=0)
    round_ = make_round(version=version, schools=[world.school_a1, world.school_b1])
    ensure_results(round_)
    ResultState.objects.filter(round=round_).update(data_version="")  # e.g. after an import
    client.force_login(world.user("staff"))
    with (
        mock.patch("selfscan.results.services.aggregate_round", _forbidden),
        mock.patch("selfscan.results.tasks.compute_round_results.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.get(reverse("results:city_dashboard", kwargs={"round_id": round_.pk}))
    assert response.status_code == 200
    assert "Bijgewerkt op" in response.content.decode()
    delay.assert_called_with(round_.pk)


def test_no_request_runs_or_queues_a_full_recompute_after_a_submit_or_reopen(
    world, client, django_capture_on_commit_callbacks
):
    """Stronger than the test above: every request's on-commit work runs here (the test's
    transaction would otherwise swallow a recompute queued for the commit), every entry to the
    full aggregation raises, and nothing is queued for the worker; after the submit and the
    reopen the stored rows are current, so no page shows stale figures either."""
    from selfscan.results.models import ResultState
    from selfscan.results.services import data_version

    version = make_norm_version(key="strict", themes=2, statements_per_theme=2, nvt_every=0)
    round_ = make_round(
        version=version, schools=[world.school_a1, world.school_a2, world.school_b1]
    )
    ensure_results(round_)
    scan = Scan.objects.get(round=round_, school=world.school_a1)
    queued: list[Any] = []
    pages = [
        reverse("results:city_dashboard", kwargs={"round_id": round_.pk}),
        reverse(
            "results:board_dashboard",
            kwargs={"round_id": round_.pk, "bestuur_id": world.bestuur_a.pk},
        ),
        reverse(
            "results:school_overview",
            kwargs={"round_id": round_.pk, "school_id": world.school_a1.pk},
        ),
    ]

    def request(method: str, url: str, data: Any = None) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return getattr(client, method)(url, data or {}).status_code

    def load_pages() -> None:
        client.force_login(world.user("staff"))
        for url in pages:
            assert request("get", url) == 200, url

    with (
        mock.patch("selfscan.results.services.aggregate_round", _forbidden),
        mock.patch("selfscan.results.services.compute_now", _forbidden),
        mock.patch("selfscan.results.aggregation.load_round", _forbidden),
        mock.patch("selfscan.results.aggregation.compute_results", _forbidden),
        mock.patch("selfscan.results.tasks.compute_round_results.run", _forbidden),
        mock.patch(
            "selfscan.results.services.enqueue_on_commit",
            lambda *args, **kwargs: queued.append(args),
        ),
    ):
        client.force_login(world.user("school"))
        for statement in Statement.objects.filter(version=version):
            url = reverse("scans:save", kwargs={"pk": scan.pk})
            assert request("post", url, {"statement": statement.pk, "value": "4", "version": 0})
        url = reverse("scans:submit", kwargs={"pk": scan.pk})
        assert request("post", url, {"confirm": "1"}) == 302
        assert Scan.objects.get(pk=scan.pk).status == Scan.Status.SUBMITTED
        assert ResultState.objects.get(round=round_).data_version == data_version(round_)
        load_pages()
        url = reverse("rounds:reopen_scan", kwargs={"pk": scan.pk})
        assert request("post", url, {"reason": "Controle"}) == 302
        assert Scan.objects.get(pk=scan.pk).status == Scan.Status.IN_PROGRESS
        assert ResultState.objects.get(round=round_).data_version == data_version(round_)
        load_pages()
        assert queued == []
        # The control: a page over rows that are not current queues a recompute, and the
        # recorder above sees it (so an empty list means nothing was queued).
        ResultState.objects.filter(round=round_).update(data_version="")
        load_pages()
        assert queued
