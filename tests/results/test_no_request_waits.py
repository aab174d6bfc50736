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
