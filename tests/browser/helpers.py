"""Helpers for Playwright tests: log in, run axe-core, check that nothing left the machine."""

from typing import Any
from urllib.parse import urlparse

from axe_playwright_python.sync_playwright import Axe

from tests.factories import TEST_PASSWORD

_axe = Axe()


def axe_violations(page: Any) -> list[str]:
    """Run axe-core on the page; return one line per violation (empty when none)."""
    results = _axe.run(page)
    return [
        f"{violation['id']}: {violation['help']} ({len(violation['nodes'])}x) "
        + "; ".join(node["target"][0] if node["target"] else "" for node in violation["nodes"][:3])
        for violation in results.response["violations"]
    ]


def external_requests(page: Any, base_url: str) -> list[str]:
    """Requests that went anywhere but the local test server (data: URLs are inline)."""
    local = urlparse(base_url).netloc
    return [
        url
        for url in page.requested_urls
        if not url.startswith(("data:", "blob:", "about:")) and urlparse(url).netloc != local
    ]


def login(page: Any, base_url: str, email: str, password: str = TEST_PASSWORD) -> None:
    page.goto(f"{base_url}/account/inloggen/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
