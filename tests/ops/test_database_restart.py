"""The database goes away while a school team is answering, and comes back.

The application runs under gunicorn with debug off on a PostgreSQL server of the test's own
(tests/pg_server.py). While a person answers statements in chromium, the test stops that server:
the person is told clearly that the answer was not saved yet, /health/ reports the database as
down, and nothing crashes. The server starts again; the same gunicorn processes (no restart)
serve again, the pending answer is saved, and every answer the page acknowledged is stored."""

import json
import time
from typing import Any

import pytest

from tests.ops.conftest import DemoServer, query

pytestmark = [pytest.mark.browser]

SCHOOL_EMAIL = "school@demo.passendonderwijsalmere.nl"
DEMO_PASSWORD = "demo-zelfscan-2025"  # the demo's published password


def open_scan_of(server: DemoServer, email: str) -> int:
    rows = query(
        server.postgres,
        """SELECT s.id FROM scans_scan s
             JOIN rounds_round r ON r.id = s.round_id
             JOIN accounts_user_schools us ON us.school_id = s.school_id
             JOIN accounts_user u ON u.id = us.user_id
            WHERE u.email = %s AND r.status = 'open' AND s.submitted_at IS NULL
            ORDER BY s.id LIMIT 1""",
        email,
    )
    assert rows, "the demo has an open scan for the school user"
    return int(rows[0][0])


def stored_answers(server: DemoServer, scan_id: int) -> dict[int, str]:
    rows = query(
        server.postgres,
        "SELECT statement_id, value FROM scans_answer WHERE scan_id = %s AND value <> ''",
        scan_id,
    )
    return {int(statement): value for statement, value in rows}


def wait_until(predicate: Any, timeout: float = 90.0, every: float = 0.5) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(every)
    return False


def test_answers_survive_a_database_restart(demo_server: DemoServer, browser: Any) -> None:
    from playwright.sync_api import expect

    scan_id = open_scan_of(demo_server, SCHOOL_EMAIL)
    before = stored_answers(demo_server, scan_id)
    gunicorn_pid = demo_server.process.pid

    context = browser.new_context(locale="nl-NL")
    try:
        page = context.new_page()
        page.goto(f"{demo_server.base_url}/account/inloggen/")
        page.fill("input[name=username]", SCHOOL_EMAIL)
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        page.goto(f"{demo_server.base_url}/zelfscan/{scan_id}/invullen/")
        page.wait_for_load_state()
        statements = page.locator("fieldset.statement")
        assert statements.count() >= 2, "the first step has at least two statements"

        # 1. Database up: an answer is saved and acknowledged.
        first = statements.nth(0)
        first_id = int(first.get_attribute("data-statement") or 0)
        first_choice = first.locator("input[type=radio]").nth(0)
        first_value = first_choice.get_attribute("value")
        first_choice.check()
        expect(first.locator(".save-status")).to_have_text("Opgeslagen", timeout=30_000)

        # 2. Database down: the next answer is not acknowledged, and the person is told so.
        demo_server.postgres.stop()
        assert not demo_server.postgres.is_up()
        second = statements.nth(1)
        second_id = int(second.get_attribute("data-statement") or 0)
        second_choice = second.locator("input[type=radio]").nth(1)
        second_value = second_choice.get_attribute("value")
        second_choice.check()
        status = second.locator(".save-status")
        expect(status).to_contain_text("Niet opgeslagen", timeout=30_000)
        assert status.inner_text() != "Opgeslagen"
        page.screenshot(path="var/ops-database-down.png", full_page=False)

        # A page load while the database is down gets the clear Dutch 503 page, not a 500.
        other = browser.new_context(
            locale="nl-NL", storage_state=page.context.storage_state()
        ).new_page()
        response = other.goto(f"{demo_server.base_url}/zelfscan/")
        assert response is not None and response.status == 503
        expect(other.locator("h1")).to_have_text("Even niet bereikbaar")
        assert "database is even niet bereikbaar" in other.locator("main").inner_text()
        other.context.close()

        code, body = demo_server.get("/health/")
        assert code == 503
        assert json.loads(body)["checks"]["database"]["ok"] is False

        # 3. Database back: the same processes recover by themselves; the pending answer is saved
        # by the page's automatic retry, without the person doing anything.
        demo_server.postgres.start()
        assert wait_until(lambda: demo_server.get("/health/")[0] == 200)
        assert demo_server.process.poll() is None and demo_server.process.pid == gunicorn_pid
        expect(status).to_have_text("Opgeslagen", timeout=90_000)
        page.screenshot(path="var/ops-database-back.png", full_page=False)
    finally:
        context.close()

    after = stored_answers(demo_server, scan_id)
    assert after[first_id] == first_value
    assert after[second_id] == second_value
    # Nothing else was lost or changed.
    for statement, value in before.items():
        if statement not in (first_id, second_id):
            assert after.get(statement) == value
