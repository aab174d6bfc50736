"""Fixtures shared by the journey tests (tests/journeys/test_journey_*.py).

`year` is the `world` of tests/conftest.py with an open round on a small norm version
(tests/journeys/world.py). Browser fixtures (`browser`, `page`) come from tests/conftest.py;
journeys log in through the page with tests/journeys/steps.py.
"""

from collections.abc import Iterator
from typing import Any

import pytest

from tests.journeys.world import Year, build_year


@pytest.fixture
def year(world: Any) -> Year:
    return build_year(world)


@pytest.fixture
def phone_page(browser: Any) -> Iterator[Any]:
    """A page 375 px wide, as on a phone."""
    context = browser.new_context(locale="nl-NL", viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.requested_urls = []
    page.on("request", lambda request: page.requested_urls.append(request.url))
    yield page
    context.close()
