"""The autosave and a wizard step page cost a fixed, small number of SQL statements (issue 18).

Counted with the production session store (`cached_db` on the shared cache: Redis in
production, the in-process cache here) and the questionnaire in the cache. Transaction control
is not a statement of its own: in production Django sends BEGIN/COMMIT with the connection, in a
test they become one SAVEPOINT/RELEASE pair, which the tests check separately (one transaction,
nothing nested).
"""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from selfscan.plans import services as plan_services
from selfscan.scans.models import Answer, AnswerChange, Scan
from tests.plans.conftest import two_rounds  # noqa: F401 (a fixture)

SAVE_LIMIT = 6
STEP_LIMIT = 6  # 4 for the step itself, 2 for the actions panel (issue 15)


@pytest.fixture(autouse=True)
def _production_session_store(settings: Any) -> None:
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


def _statements(ctx: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in ctx.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


def _savepoints(ctx: CaptureQueriesContext) -> int:
    return sum(q["sql"].startswith("SAVEPOINT") for q in ctx.captured_queries)


def _kinds(sql: list[str]) -> list[str]:
    """`SELECT scans_answer`, `UPDATE scans_scan`, ...: the statement and its first table."""
    kinds = []
    for text in sql:
        verb = text.split()[0]
        table = text.split('"')[1]
        kinds.append(f"{verb} {table}")
    return kinds


def _post(client: Any, scan: Scan, data: dict[str, Any]) -> tuple[Any, CaptureQueriesContext]:
    url = reverse("scans:save", kwargs={"pk": scan.pk})
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(url, data)
    return response, ctx


@pytest.fixture
def logged_in(client: Any, school_user: Any, scan: Scan, statements: list[Any]) -> Any:
    client.force_login(school_user)
    # one request first, so that the session renewal and the questionnaire cache are warm, as
    # they are for every save after a team's first page
    client.get(reverse("scans:step", kwargs={"pk": scan.pk, "step": statements[0].theme.code}))
    return client


def test_a_first_answer_costs_six_statements(logged_in, scan, statements):
    response, ctx = _post(
        logged_in, scan, {"statement": statements[0].pk, "value": "3", "version": 0}
    )
    body = response.json()
    assert response.status_code == 200 and body["ok"] and body["version"] == 1
    assert body["theme"] == {"answered": 1, "total": 4}
    assert body["overall"] == {"answered": 1, "total": 12}
    assert _kinds(_statements(ctx)) == [
        "SELECT accounts_user",
        "SELECT scans_scan",
        "UPDATE scans_scan",
        "SELECT scans_answer",
        "INSERT scans_answer",
        "INSERT scans_answerchange",
    ]
    assert len(_statements(ctx)) <= SAVE_LIMIT
    assert _savepoints(ctx) == 1
    scan.refresh_from_db()
    assert scan.status == Scan.Status.IN_PROGRESS and scan.started_at is not None
    assert AnswerChange.objects.filter(answer__scan=scan).count() == 1


def test_changing_an_answer_costs_six_statements_and_keeps_history(logged_in, scan, statements):
    sid = statements[1].pk
    _post(logged_in, scan, {"statement": sid, "value": "3", "version": 0})
    base = {"base_value": "3", "base_comment": "", "base_nvt_explanation": ""}
    response, ctx = _post(
        logged_in, scan, {"statement": sid, "value": "2", "comment": "Plan", "version": 1, **base}
    )
    assert response.json()["version"] == 2
    assert response.json()["theme"] == {"answered": 1, "total": 4}
    assert _kinds(_statements(ctx)) == [
        "SELECT accounts_user",
        "SELECT scans_scan",
        "UPDATE scans_scan",
        "SELECT scans_answer",
        "UPDATE scans_answer",
        "INSERT scans_answerchange",
    ]
    assert _savepoints(ctx) == 1
    answer = Answer.objects.get(scan=scan, statement_id=sid)
    assert (answer.value, answer.comment, answer.version) == ("2", "Plan", 2)
    changes = list(AnswerChange.objects.filter(answer=answer).order_by("id"))
    assert [(c.old_value, c.new_value) for c in changes] == [("", "3"), ("3", "2")]


def test_a_stale_version_is_still_a_conflict(logged_in, scan, statements, world):
    sid = statements[2].pk
    from selfscan.scans.services import save_answer

    save_answer(scan=scan, statement_id=sid, by=world.user("school"), value="4", expected_version=0)
    response, ctx = _post(
        logged_in,
        scan,
        {
            "statement": sid,
            "value": "1",
            "version": 0,
            "base_value": "",
            "base_comment": "",
            "base_nvt_explanation": "",
        },
    )
    assert response.status_code == 409 and response.json()["conflict"]
    assert Answer.objects.get(scan=scan, statement_id=sid).value == "4"
    assert len(_statements(ctx)) <= SAVE_LIMIT


def test_a_submitted_scan_refuses_the_save_without_writing(logged_in, scan, statements):
    Scan.objects.filter(pk=scan.pk).update(status=Scan.Status.SUBMITTED)
    response, ctx = _post(
        logged_in, scan, {"statement": statements[0].pk, "value": "3", "version": 0}
    )
    assert response.status_code == 400
    assert not Answer.objects.filter(scan=scan).exists()
    assert not any(sql.startswith(("UPDATE", "INSERT")) for sql in _statements(ctx))


def test_a_wizard_step_costs_at_most_six_statements(logged_in, scan, statements):
    _post(logged_in, scan, {"statement": statements[0].pk, "value": "3", "version": 0})
    url = reverse("scans:step", kwargs={"pk": scan.pk, "step": statements[0].theme.code})
    with CaptureQueriesContext(connection) as ctx:
        response = logged_in.get(url)
    assert response.status_code == 200
    assert _kinds(_statements(ctx)) == [
        "SELECT accounts_user",
        "SELECT scans_scan",  # with last round's scan for the actions panel
        "SELECT scans_answer",
        "SELECT scans_themereflection",
        # The improvement actions panel (issue 15): the team (owner choices and the edit
        # right), then this theme's actions and last round's in one query.
        "SELECT accounts_user",
        "SELECT plans_improvementaction",
    ]
    assert len(_statements(ctx)) <= STEP_LIMIT
    assert statements[0].text[:30] in response.content.decode()


def test_a_step_with_last_rounds_actions_through_the_lineage_costs_six_too(
    client,
    two_rounds,  # noqa: F811 (the fixture imported above)
    world,
):
    """Last round on an earlier norm version, its theme renamed: the lineage lookup is cached
    per version pair after the first page, last round's scan comes with this one."""
    team = world.user("school")
    old = plan_services.add_action(
        scan=two_rounds.zero_scan, theme=two_rounds.zero_theme, by=team, what="Vorig jaar: lezen."
    )
    plan_services.add_action(
        scan=two_rounds.scan, theme=two_rounds.theme, by=team, what="Dit jaar: rekenen."
    )
    plan_services.add_action(  # last round, another theme: not on this step
        scan=two_rounds.zero_scan,
        theme=two_rounds.zero_theme.version.themes.get(code="T02"),
        by=team,
        what="Vorig jaar: ander thema.",
    )
    client.force_login(team)
    url = reverse("scans:step", kwargs={"pk": two_rounds.scan.pk, "step": two_rounds.theme.code})
    first = client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200 and first.content.decode().count("Vorig jaar") == html.count(
        "Vorig jaar"
    )
    assert "Verbeteracties van vorig jaar (0-meting)" in html
    assert "Vorig jaar: lezen." in html and "Dit jaar: rekenen." in html
    assert "Vorig jaar: ander thema." not in html
    assert reverse("plans:edit", kwargs={"pk": old.pk}) in html  # the team may change it
    assert len(_statements(ctx)) <= STEP_LIMIT, _kinds(_statements(ctx))


def test_with_database_sessions_the_session_read_is_one_more(
    scan, statements, settings, school_user
):
    """Without a shared cache (one process, SQLite) the session is read from the database."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    client = Client()
    client.force_login(school_user)
    client.get(reverse("scans:step", kwargs={"pk": scan.pk, "step": statements[0].theme.code}))
    response, ctx = _post(client, scan, {"statement": statements[0].pk, "value": "3", "version": 0})
    assert response.status_code == 200
    kinds = _kinds(_statements(ctx))
    assert kinds[0] == "SELECT django_session"
    assert len(kinds) == SAVE_LIMIT + 1


def test_session_is_renewed_only_every_few_minutes(logged_in, scan, statements, settings):
    response, ctx = _post(
        logged_in, scan, {"statement": statements[3].pk, "value": "3", "version": 0}
    )
    assert not any("django_session" in sql for sql in _statements(ctx))
    settings.SESSION_REFRESH_SECONDS = 0
    response, ctx = _post(
        logged_in, scan, {"statement": statements[3].pk, "value": "4", "version": 1}
    )
    assert response.status_code == 200
    assert any(sql.startswith("UPDATE") and "django_session" in sql for sql in _statements(ctx))
