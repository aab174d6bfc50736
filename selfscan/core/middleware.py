"""One guard for every page: search and filter parameters with control characters are refused.

A NUL character in a query parameter (`?q=%00`) reaches the database in a filter and PostgreSQL
refuses it with an error (a 500); other control characters have no meaning in a search either.
Rather than clean every form and filter one by one, a request whose query string holds a C0
control character other than tab, line feed or carriage return gets a Dutch 400 page before any
view runs.
"""

import time
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

ALLOWED_CONTROLS = {"\t", "\n", "\r"}
FORBIDDEN = frozenset(chr(code) for code in range(32)) - ALLOWED_CONTROLS


def has_control_characters(text: str) -> bool:
    return not FORBIDDEN.isdisjoint(text)


class RejectControlCharactersMiddleware:
    """Answer 400 when a GET parameter's name or value holds a forbidden control character."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for key, values in request.GET.lists():
            if has_control_characters(key) or any(map(has_control_characters, values)):
                return render(request, "400.html", status=400)
        return self.get_response(request)


class SessionRefreshMiddleware:
    """Keep a session alive while it is used, with at most one session write per
    `SESSION_REFRESH_SECONDS` instead of one per request.

    Django's SESSION_SAVE_EVERY_REQUEST writes the session row on every request: one UPDATE per
    autosave. Here a logged-in session is saved (which renews its expiry by SESSION_COOKIE_AGE)
    only when its last renewal is older than the interval, so an idle session still ends
    SESSION_COOKIE_AGE after its last use, give or take the interval."""

    KEY = "_renewed_at"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty() or not session.session_key:
            return response
        from django.conf import settings

        now = int(time.time())
        renewed = session.get(self.KEY)
        interval = getattr(settings, "SESSION_REFRESH_SECONDS", 300)
        if not isinstance(renewed, int) or now - renewed >= interval:
            session[self.KEY] = now  # marks the session modified: SessionMiddleware saves it
        return response


def mark_session_renewed(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """A login saves the session anyway: it counts as its first renewal."""
    if request is not None and hasattr(request, "session"):
        request.session[SessionRefreshMiddleware.KEY] = int(time.time())
