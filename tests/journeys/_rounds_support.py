"""Helpers for the round journeys: a person's own browser, screenshots at desktop and phone
width, and moving the application's date (in every thread, the live server's too)."""

import contextlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from unittest import mock

from django.conf import settings
from django.utils import timezone

from tests.browser.helpers import login

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


def person(browser: Any, base_url: str, email: str) -> Any:
    """A fresh browser context for one person, logged in; returns its page."""
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    login(page, base_url, email)
    return page


def shoot(page: Any, name: str) -> list[Path]:
    """Screenshots of the current page at desktop width and at 375 px; the page is left at
    desktop width. Returns the files."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    files = []
    for width, suffix in ((1280, "desktop"), (375, "375")):
        page.set_viewport_size({"width": width, "height": 900})
        path = SHOTS / f"{name}-{suffix}.png"
        page.screenshot(path=str(path), full_page=True)
        files.append(path)
        if width == 375:
            # nothing wider than the phone's screen
            assert page.evaluate("document.documentElement.scrollWidth") <= 375, name
    page.set_viewport_size({"width": 1280, "height": 900})
    return files


@contextlib.contextmanager
def today_is(day: date) -> Iterator[None]:
    """The application's "today" (`timezone.localdate()` without arguments) is `day`."""
    real = timezone.localdate

    def localdate(value: Any = None, timezone: Any = None) -> date:
        if value is None and timezone is None:
            return day
        return real(value, timezone)

    with mock.patch("django.utils.timezone.localdate", localdate):
        yield
