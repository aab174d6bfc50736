"""The per-statement tallies stored with a round's aggregates (docs/decisions/0230): the city
dashboard's "since the 0-meting" reads them instead of tallying the answers, and shows exactly
what the tally of the answers gives."""

from typing import Any

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from selfscan.results import selectors
from selfscan.results.models import StatementTally
from selfscan.results.scoring import Tally
from selfscan.results.services import ensure_results
from selfscan.rounds import demo
from selfscan.rounds.models import Round
from tests.results.test_annual import demo_rounds  # noqa: F401 (fixture)
from tests.results.test_city_change import _rounds_with_a_new_sector_and_theme

pytestmark = pytest.mark.django_db


def _nonzero(tallies: dict[int, Tally]) -> dict[int, tuple[int, int, int]]:
    """Statements with something counted (a statement with only empty answers tallies 0/0/0
    whether or not it has a row)."""
    out = {}
    for sid, t in tallies.items():
        if (t.sufficient, t.answered, t.nvt) != (0, 0, 0):
            out[sid] = (t.sufficient, t.answered, t.nvt)
    return out


def _change_figures(change: Any) -> tuple[Any, Any]:
    statements = {
        pk: (c.status, c.now, c.then, c.previous_ids) for pk, c in change.statements.items()
    }
    themes = {
        pk: (c.now, c.then, c.comparable, c.new, c.not_comparable, c.difference)
        for pk, c in change.themes.items()
    }
    return statements, themes


def _assert_dashboard_equals_the_answer_tally(round_: Round) -> int:
    """Every sector's change on the city dashboard equals the change computed from a fresh
    tally of the answers (a scan filter forces that path). Returns the sectors compared."""
    dashboard = selectors.city_dashboard(round_)
    baseline = dashboard["baseline"]
    assert baseline is not None
    compared = 0
    for item in dashboard["changes"]:
        fresh = selectors.change_since(round_, baseline, item.sector, Q(scan__sector=item.sector))
        if fresh is None:
            assert item.change is None
            continue
        assert _change_figures(item.change) == _change_figures(fresh)
        compared += 1
    for each in (round_, baseline):
        for sector in ("PO", "VO", "SV"):
            stored = selectors.sector_statement_tallies(each, sector)
            counted = selectors.statement_tallies(each, Q(scan__sector=sector))
            assert _nonzero(stored) == _nonzero(counted)
    return compared


def test_stored_tallies_give_the_demo_dashboard_its_figures(demo_rounds):  # noqa: F811
    current = Round.objects.get(name=demo.OPEN_NAME)
    ensure_results(current)
    assert StatementTally.objects.filter(round=current).exists()
    assert _assert_dashboard_equals_the_answer_tally(current) >= 1
    assert StatementTally.objects.filter(round=demo_rounds).exists()
    # Something was really counted (not two empty tallies compared).
    po = selectors.sector_statement_tallies(demo_rounds, "PO")
    assert sum(t.answered for t in po.values()) > 0


def test_stored_tallies_follow_the_lineage_between_versions(db):
    current = _rounds_with_a_new_sector_and_theme()
    assert _assert_dashboard_equals_the_answer_tally(current) == 1  # PO; SV has no 0-meting


def test_the_city_dashboard_does_not_read_the_answers(demo_rounds):  # noqa: F811
    current = Round.objects.get(name=demo.OPEN_NAME)
    selectors.city_dashboard(current)  # stores both rounds' rows if needed
    with CaptureQueriesContext(connection) as queries:
        context = selectors.city_dashboard(current)
    assert context["changes"] and any(item.change for item in context["changes"])
    assert not [q["sql"] for q in queries if "scans_answer" in q["sql"]]


def test_rows_stored_before_the_tallies_existed_are_tallied_from_the_answers(db):
    current = _rounds_with_a_new_sector_and_theme()
    selectors.city_dashboard(current)
    expected = _change_figures(selectors.city_dashboard(current)["changes"][0].change)
    StatementTally.objects.all().delete()  # as a round stored before decision 0230
    assert selectors.stored_statement_tallies(current) is None
    assert _change_figures(selectors.city_dashboard(current)["changes"][0].change) == expected
