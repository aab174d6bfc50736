"""Every page that says a school "voldoet" (or would "voldoen") or shows the threshold also says
what that means: the short definition of "voldoet aan de norm" and the threshold
(`results/_norm_rule.html`). Found by following the links every role sees, from the home page,
in the ten-school round; HTML pages only (the PDFs are checked in their own tests)."""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from selfscan.accounts.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Visible words that speak of the norm's verdict or its threshold ("voldoende" is an answer).
MENTIONS = re.compile(r"\b(voldoet|voldoen|drempel)\b", re.IGNORECASE)
RULE = 'class="norm-rule"'
SKIP = ("/static/", "/media/", "/beheer/django/", "/account/uitloggen", "/i18n/")
# The API's reference for developers names its fields ("threshold_percent: Drempel (%)"); it
# reports no school's result, so it is no page "that shows whether a school meets the norm".
NOT_A_REPORT = {"/api/v1/docs/"}
PER_ROUTE = 3


class _Page(HTMLParser):
    """The links of a page and the visible text of its <main> (no scripts, no hidden JSON)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.text: list[str] = []
        self._main = 0
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)
        if tag == "main":
            self._main += 1
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self._main -= 1
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if self._main and not self._skip:
            self.text.append(data)


def _crawl(client: Client, start: list[str], limit: int = 150) -> dict[str, tuple[str, str]]:
    """path → (visible main text, html) of every HTML page reached, at most PER_ROUTE per
    URL pattern."""
    seen: set[str] = set()
    per_route: dict[str, int] = {}
    pages: dict[str, tuple[str, str]] = {}
    queue = deque(start)
    while queue and len(pages) < limit:
        path = urlsplit(queue.popleft()).path
        if path in seen or path.startswith(SKIP):
            continue
        seen.add(path)
        try:
            route = resolve(path).route
        except Resolver404:
            continue
        if per_route.get(route, 0) >= PER_ROUTE:
            continue
        per_route[route] = per_route.get(route, 0) + 1
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        parser = _Page()
        parser.feed(html)
        pages[path] = (" ".join(parser.text), html)
        for href in parser.links:
            target = urljoin(path, href)
            if urlsplit(target).netloc == "" and target.startswith("/"):
                queue.append(target)
    return pages


@pytest.mark.parametrize("role", ["staff", "board", "school", "adviser"])
def test_every_page_that_speaks_of_the_norm_defines_it(client, ten_schools, role):
    round_ = ten_schools.round
    users = {
        "staff": lambda: UserFactory(role=Role.STAFF),
        "board": lambda: UserFactory(role=Role.BOARD, besturen=[ten_schools.besturen["B1"]]),
        "school": lambda: UserFactory(role=Role.SCHOOL, schools=[ten_schools.schools["S1"]]),
        "adviser": lambda: UserFactory(role=Role.ADVISER, wijken=[ten_schools.wijken["W1"]]),
    }
    client.force_login(users[role]())
    start = ["/", "/resultaten/", f"/resultaten/{round_.pk}/stad/"]
    pages = _crawl(client, start)
    mentioning = {
        path
        for path, (text, _html) in pages.items()
        if MENTIONS.search(text) and path not in NOT_A_REPORT
    }
    # the crawl really reached the results pages of this role
    assert any(p.startswith(f"/resultaten/{round_.pk}/") for p in mentioning), sorted(pages)
    missing = sorted(p for p in mentioning if RULE not in pages[p][1])
    assert missing == [], {p: MENTIONS.findall(pages[p][0])[:5] for p in missing}
    for path in mentioning:
        html = pages[path][1]
        assert f"ten minste {round_.threshold_percent}% van de beantwoorde stellingen" in html, path
