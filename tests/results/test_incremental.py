"""After any sequence of submits, reopens and changed answers in an open round, the stored rows
(updated one scan's groups at a time, docs/decisions/0210) equal a full recompute."""

import math
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfscan.norms.models import NVT_CODE, Statement
from selfscan.organisations.models import Sector
from selfscan.results.aggregation import aggregate_round
from selfscan.results.models import AggregateRow, ResultState
from selfscan.results.scoring import Tally
from selfscan.results.services import ROW_COLUMNS, aggregate_rows, data_version, ensure_results
from selfscan.scans.models import Answer, Scan
from selfscan.scans.services import reopen_scan, save_answer, submit_scan
from tests.factories import BestuurFactory, SchoolFactory, make_norm_version
from tests.scans.factories import make_round

pytestmark = pytest.mark.django_db

VALUES = ["1", "2", "3", "4", NVT_CODE]


class Rollback(Exception):
    pass


@pytest.fixture
def setting(world: Any) -> dict[str, Any]:
    """Five schools: three PO in two wijken and two besturen, a VO and an SV school (no wijk)."""
    third = BestuurFactory(name="Stichting Gamma", bevoegd_gezag_nummer="41003")
    vo = SchoolFactory(
        name="Het College", vestigingscode="22BB00", sector=Sector.VO, wijk=None, bestuur=third
    )
    sv = SchoolFactory(
        name="De Brug", vestigingscode="22BC00", sector=Sector.SV, wijk=None, bestuur=third
    )
    version = make_norm_version(key="incr", themes=2, statements_per_theme=3, nvt_every=3)
    schools = [world.school_a1, world.school_a2, world.school_b1, vo, sv]
    round_ = make_round(version=version, schools=schools)
    scans = list(Scan.objects.filter(round=round_).order_by("school__name"))
    statements = list(Statement.objects.filter(version=version).order_by("theme__order", "order"))
    return {"round": round_, "scans": scans, "statements": statements, "world": world}


def _fill(scan: Scan, statements: list[Statement], values: list[str]) -> None:
    Answer.objects.filter(scan=scan).delete()
    Answer.objects.bulk_create(
        Answer(
            scan=scan,
            statement=statement,
            value=value if (value != NVT_CODE or statement.nvt_allowed) else "3",
            nvt_explanation="Geen leerlingen" if value == NVT_CODE else "",
            version=1,
        )
        for statement, value in zip(statements, values, strict=False)
    )


def _rows(round_: Any) -> list[tuple[Any, ...]]:
    stored = AggregateRow.objects.filter(round=round_).values_list(*ROW_COLUMNS[1:])
    return sorted((r for r in stored), key=lambda r: (r[0], r[1], r[3] or 0))


def _full(round_: Any) -> list[tuple[Any, ...]]:
    results = aggregate_round(round_.pk, threshold=round_.threshold_percent)
    import json

    # The histogram is stored as JSON (read back as a list), the share counts as JSON text
    # (compared as text: the counts must agree exactly).
    rows = [(*row[1:-2], json.loads(row[-2]), row[-1]) for row in aggregate_rows(round_, results)]
    return sorted(rows, key=lambda r: (r[0], r[1], r[3] or 0))


def _same(stored: list[tuple[Any, ...]], full: list[tuple[Any, ...]]) -> bool:
    if len(stored) != len(full):
        return False
    for a, b in zip(stored, full, strict=True):
        for x, y in zip(a, b, strict=True):
            if isinstance(x, float) or isinstance(y, float):
                if x is None or y is None or not math.isclose(x, y, rel_tol=1e-12, abs_tol=1e-12):
                    return False
            elif x != y:
                return False
    return True


def _tallies_current(round_: Any) -> bool:
    """The stored per-statement tallies (decision 0230) equal a fresh tally of the answers."""
    from django.db.models import Q

    from selfscan.results.selectors import statement_tallies, stored_statement_tallies

    stored = stored_statement_tallies(round_) or {}
    for sector in ("PO", "VO", "SV"):
        fresh = statement_tallies(round_, Q(scan__sector=sector))
        mine = stored.get(sector, {})
        for sid in set(fresh) | set(mine):
            a, b = fresh.get(sid, Tally()), mine.get(sid, Tally())
            if (a.sufficient, a.answered, a.nvt) != (b.sufficient, b.answered, b.nvt):
                return False
    return True


operations = st.lists(
    st.tuples(
        st.sampled_from(["submit", "reopen", "change"]),
        st.integers(min_value=0, max_value=4),
        st.sampled_from(VALUES),
    ),
    min_size=1,
    max_size=10,
)
answers = st.lists(
    st.lists(st.sampled_from(VALUES), min_size=6, max_size=6), min_size=5, max_size=5
)


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(initial=answers, steps=operations, submitted=st.lists(st.booleans(), min_size=5, max_size=5))
def test_stored_rows_equal_a_full_recompute(setting, initial, steps, submitted):
    round_, scans, statements = setting["round"], setting["scans"], setting["statements"]
    world = setting["world"]
    school, staff = world.user("school"), world.user("staff")
    try:
        with transaction.atomic():
            for scan, values, done in zip(scans, initial, submitted, strict=True):
                _fill(scan, statements, values)
                if done:
                    submit_scan(scan=scan, by=school)
            ensure_results(round_)
            assert _same(_rows(round_), _full(round_))
            assert _tallies_current(round_)
            for action, index, value in steps:
                scan = Scan.objects.get(pk=scans[index].pk)
                if action == "submit" and not scan.is_submitted:
                    submit_scan(scan=scan, by=school)
                elif action == "reopen" and scan.is_submitted:
                    reopen_scan(scan=scan, by=staff, reason="Controle")
                elif action == "change" and not scan.is_submitted:
                    statement = statements[index]
                    answer = Answer.objects.get(scan=scan, statement=statement)
                    allowed = value != NVT_CODE or statement.nvt_allowed
                    save_answer(
                        scan=scan,
                        statement_id=statement.pk,
                        by=school,
                        value=value if allowed else "2",
                        nvt_explanation="Geen leerlingen",
                        expected_version=answer.version,
                    )
                else:
                    continue
                state = ResultState.objects.get(round=round_)
                assert state.data_version == data_version(round_), "rows not kept current"
                assert _same(_rows(round_), _full(round_)), (action, index)
                assert _tallies_current(round_), (action, index)
            raise Rollback
    except Rollback:
        pass


def test_several_scans_in_one_update_equal_a_full_recompute(setting):
    """`affected_rows` takes several scans at once (a batch of submits): after two submits and a
    reopen changed together, the rows it gives equal a full recompute."""
    from selfscan.results.services import _replace_rows, affected_rows

    round_, scans, statements = setting["round"], setting["scans"], setting["statements"]
    school = setting["world"].user("school")
    for scan, values in zip(scans, [VALUES, VALUES[::-1], VALUES[1:], VALUES, VALUES], strict=True):
        _fill(scan, statements, [*values, "3"])
    submit_scan(scan=scans[0], by=school)
    ensure_results(round_)
    first, second = scans[1], scans[2]
    Scan.objects.filter(pk__in=[first.pk, second.pk]).update(status=Scan.Status.SUBMITTED)
    Scan.objects.filter(pk=scans[0].pk).update(status=Scan.Status.IN_PROGRESS)
    rows = affected_rows(round_, [first.pk, second.pk, scans[0].pk])
    assert rows is not None
    _replace_rows(round_, rows)
    assert _same(_rows(round_), _full(round_))
    # One scan as a plain id still works.
    Scan.objects.filter(pk=first.pk).update(status=Scan.Status.IN_PROGRESS)
    _replace_rows(round_, affected_rows(round_, first.pk))
    assert _same(_rows(round_), _full(round_))


def test_a_submit_reads_its_answers_before_the_round_writer_lock(setting):
    """Submits of a round take turns for its stored rows (the FOR UPDATE of its ResultState);
    what reads only the submitted scan (its answers, its own rows, its share of the statement
    tallies) happens before that lock, so the turn is short (docs/decisions/0277). The update
    is still complete: the stored rows equal a full recompute afterwards."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from selfscan.results.models import ResultState as State

    round_, scans, statements = setting["round"], setting["scans"], setting["statements"]
    school = setting["world"].user("school")
    for scan in scans[:2]:
        _fill(scan, statements, ["3", "4", "2", "3", "1", "3"])
    submit_scan(scan=scans[0], by=school)
    ensure_results(round_)
    with CaptureQueriesContext(connection) as queries:
        assert submit_scan(scan=scans[1], by=school)[1]
    sql = [q["sql"] for q in queries.captured_queries]
    state = connection.ops.quote_name(State._meta.db_table)
    answers = connection.ops.quote_name(Answer._meta.db_table)
    lock = [i for i, q in enumerate(sql) if f"FROM {state}" in q and "FOR UPDATE" in q]
    if connection.vendor == "postgresql":
        assert len(lock) == 1, sql
    else:  # SQLite: no FOR UPDATE; the lock's place is the read of the state
        lock = [i for i, q in enumerate(sql) if f"FROM {state}" in q]
    before, after = sql[: lock[0]], sql[lock[0] :]
    assert any(answers in q for q in before), before
    assert not any(answers in q for q in after), after
    assert _same(_rows(round_), _full(round_))
    assert _tallies_current(round_)
