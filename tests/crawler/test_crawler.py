"""The crawler: every page of the demo, for every demo login and anonymous, in every state a
round passes through: no server error, no missing template variable, every URL pattern reached,
and axe-core clean on one page per template (decision 0110).

The crawl runs once for this module (a module fixture on a committed demo, flushed afterwards);
the tests below each check one part of what it found.
"""

import os
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from selfscan.accounts.models import User
from tests.crawler import routes
from tests.crawler.crawler import Crawler, Report, seed_urls, strict_templates, unreached
from tests.crawler.states import ROLES, STATES

# django_db: pytest-django sets up the test database only for marked tests; the crawl itself
# runs in the module fixture, on committed data that it flushes at the end.
# The crawl is one fixture; pytest-timeout counts it in the first test's time.
pytestmark = [pytest.mark.browser, pytest.mark.django_db, pytest.mark.timeout(900)]

# conftest.py prints these figures in pytest's terminal summary (also in CI's log).
LAST_REPORT: list[Report] = []


def _clients() -> dict[str, Client]:
    clients = {}
    for role, email in ROLES.items():
        client = Client()
        if email is not None:
            client.force_login(User.objects.get(email=email))
        clients[role] = client
    return clients


def _axe(report: Report, clients: dict[str, Client], templates: set[str]) -> None:
    """axe-core once per template, on the live server, with the role's session cookie."""
    from playwright.sync_api import sync_playwright
    from pytest_django.live_server_helper import LiveServer

    from tests.browser.helpers import axe_violations
    from tests.conftest import CHROMIUM, CHROMIUM_ARGS

    server = LiveServer("localhost")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            pages: dict[str, Any] = {}
            for template, (state, role, url) in sorted(report.samples.items()):
                if template not in templates:
                    continue
                if role not in pages:
                    context = browser.new_context(locale="nl-NL")
                    cookie = clients[role].cookies.get("sessionid")
                    if cookie is not None:
                        context.add_cookies(
                            [{"name": "sessionid", "value": cookie.value, "url": server.url}]
                        )
                    pages[role] = context.new_page()
                page = pages[role]
                page.goto(server.url + url)
                report.axe_checked += 1
                report.axe.extend(
                    f"{template} at {url} ({role}, {state}): {line}"
                    for line in axe_violations(page)
                )
            browser.close()
    finally:
        server.stop()


@pytest.fixture(scope="module")
def crawl(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Report]:
    from selfscan.celery import app

    report = Report()
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    translation.activate("nl")
    with django_db_blocker.unblock():
        try:
            with strict_templates() as marker:
                clients: dict[str, Client] | None = None
                extra: dict[str, list[dict[str, Any]]] = {}
                states = STATES[: int(os.environ.get("CRAWLER_STATES", len(STATES)))]
                for state, build, scope in states:
                    extra.update(build())
                    report.states.append(state)
                    clients = clients or _clients()
                    seeds = seed_urls(extra, report)
                    before, pages, started = set(report.samples), report.pages, time.monotonic()
                    crawler = Crawler(report, marker, state, scope.only, scope.per_route)
                    for role, client in clients.items():
                        crawler.crawl(role, client, seeds if role in scope.seed_roles else [])
                    crawled = time.monotonic()
                    _axe(report, clients, set(report.samples) - before)
                    report.timings.append(
                        f"{state}: {report.pages - pages} pages in {crawled - started:.0f} s, "
                        f"axe {len(set(report.samples) - before)} in "
                        f"{time.monotonic() - crawled:.0f} s"
                    )
                    if os.environ.get("CRAWLER_DEBUG"):
                        print(report.timings[-1], flush=True)
                        slow = sorted(report.seconds_per_route.items(), key=lambda i: -i[1])
                        print(slow[:12], flush=True)
        finally:
            call_command("flush", interactive=False, verbosity=0)
            app.conf.task_always_eager = eager
    LAST_REPORT.append(report)
    _write(report)
    yield report


def _write(report: Report) -> None:
    """The whole report in var/crawler-report.txt, for reading after a failed run."""
    from django.conf import settings

    lines = [*report.timings, "", "errors:", *report.errors, "", "invalid variables:"]
    lines += sorted(set(report.invalid_variables))
    lines += ["", "axe:", *report.axe, "", "unfilled:", *sorted(report.unfilled), "", "routes:"]
    lines += sorted(report.visited_routes | report.posted_routes)
    (settings.VAR_DIR / "crawler-report.txt").write_text("\n".join(lines) + "\n")


def test_no_page_answers_a_server_error(crawl: Report) -> None:
    assert crawl.errors == [], "\n".join(crawl.errors)


def test_no_template_uses_a_variable_that_does_not_exist(crawl: Report) -> None:
    unique = sorted(set(crawl.invalid_variables))
    assert unique == [], "\n".join(unique)


def test_every_url_pattern_is_reached(crawl: Report) -> None:
    """A new URL pattern must be linked from a page (or be the target of a form on one), or
    be filled from the demo in routes.py, or be allowlisted there with a reason."""
    missing = unreached(crawl)
    assert missing == [], "not reached:\n" + "\n".join(missing)
    assert sorted(crawl.unfilled) == [], "no demo ids for:\n" + "\n".join(sorted(crawl.unfilled))
    stale = sorted(set(routes.ALLOWLIST) - set(routes.all_routes()))
    assert stale == [], f"allowlisted but no longer a URL pattern: {stale}"


def test_each_template_is_accessible(crawl: Report) -> None:
    assert crawl.axe_checked >= len(crawl.samples) > 20
    assert crawl.axe == [], "\n".join(crawl.axe)


def test_pages_behind_e_mail_links_were_rendered(crawl: Report) -> None:
    """The tokens made by the states work: the pages behind them, not their error pages."""
    for template in ("accounts/invitation_accept.html", "surveys/public_form.html"):
        assert template in crawl.samples


def test_every_state_and_role_was_crawled(crawl: Report) -> None:
    assert len(crawl.states) >= 6
    assert crawl.pages > 1000
    # raise MAX_PAGES_PER_ROLE (or lower PER_ROUTE) rather than crawl part of a role's pages
    assert crawl.truncated == []
