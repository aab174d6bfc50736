"""Shared fixtures: a small world of schools, besturen and users in every role, and a browser."""

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from selfscan.accounts.models import Role, User
from selfscan.organisations.models import Bestuur, School, Sector, Stadsdeel, Wijk
from tests.factories import (
    BestuurFactory,
    SchoolFactory,
    StadsdeelFactory,
    UserFactory,
    WijkFactory,
)

# Property tests check rules, not speed (speed is measured in benchmarks/): no per-example
# deadline, which a busy CI machine would otherwise turn into flaky failures.
hypothesis_settings.register_profile(
    "selfscan", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("selfscan")

# Playwright's sync API runs an event loop in this thread; the ORM calls made by tests around it
# are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Argon2 is slow on purpose; tests that check the production hasher set it themselves."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _celery_eager_unless_real_worker(request: Any) -> Iterator[None]:
    """Tasks run in-process, as in the demo, whether or not a broker is configured (CI runs the
    suite once with Redis and no worker). Tests marked `worker` start a real worker on the
    broker instead (tests/celery_worker.py)."""
    if request.node.get_closest_marker("worker"):
        yield
        return
    from selfscan.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = saved


@pytest.fixture(autouse=True)
def _dutch_by_default() -> Iterator[None]:
    """Each test starts in Dutch, whatever language an earlier test switched to."""
    from django.utils import translation

    translation.activate("nl")
    yield
    translation.activate("nl")


@dataclass
class World:
    """Two besturen, three schools in two wijken, and one user per role plus outsiders."""

    stadsdeel: Stadsdeel
    wijk_a: Wijk
    wijk_b: Wijk
    bestuur_a: Bestuur
    bestuur_b: Bestuur
    school_a1: School
    school_a2: School
    school_b1: School
    users: dict[str, User]

    def user(self, role: str) -> User:
        return self.users[role]


ROLES = ["school", "other_school", "board", "other_board", "adviser", "staff", "admin"]


@pytest.fixture
def world(db: Any) -> World:
    stadsdeel = StadsdeelFactory(name="Stad Oost")
    wijk_a = WijkFactory(name="Stad 1", stadsdeel=stadsdeel)
    wijk_b = WijkFactory(name="Stad 2", stadsdeel=stadsdeel)
    bestuur_a = BestuurFactory(name="Stichting Alfa", bevoegd_gezag_nummer="41001")
    bestuur_b = BestuurFactory(name="Stichting Beta", bevoegd_gezag_nummer="41002")
    school_a1 = SchoolFactory(
        name="De Eerste", vestigingscode="11AA00", wijk=wijk_a, bestuur=bestuur_a
    )
    school_a2 = SchoolFactory(
        name="De Tweede", vestigingscode="11AB00", wijk=wijk_b, bestuur=bestuur_a
    )
    school_b1 = SchoolFactory(
        name="De Derde", vestigingscode="11AC00", wijk=wijk_b, bestuur=bestuur_b, sector=Sector.PO
    )
    users = {
        "school": UserFactory(email="school@example.org", role=Role.SCHOOL, schools=[school_a1]),
        "other_school": UserFactory(
            email="andereschool@example.org", role=Role.SCHOOL, schools=[school_b1]
        ),
        "board": UserFactory(email="bestuur@example.org", role=Role.BOARD, besturen=[bestuur_a]),
        "other_board": UserFactory(
            email="anderbestuur@example.org", role=Role.BOARD, besturen=[bestuur_b]
        ),
        "adviser": UserFactory(email="adviseur@example.org", role=Role.ADVISER, wijken=[wijk_a]),
        "staff": UserFactory(email="swv@example.org", role=Role.STAFF),
        "admin": UserFactory(
            email="admin@example.org", role=Role.ADMIN, is_staff=True, is_superuser=True
        ),
    }
    return World(
        stadsdeel, wijk_a, wijk_b, bestuur_a, bestuur_b, school_a1, school_a2, school_b1, users
    )


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser context and page; `page.requested_urls` lists every request it made."""
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    page.requested_urls = []
    page.on("request", lambda request: page.requested_urls.append(request.url))
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Each test starts with an empty cache: ids are reused after a test's rollback, and the
    commit hooks that drop cached norm questionnaires never run inside a test transaction."""
    from django.core.cache import cache

    cache.clear()
    yield
