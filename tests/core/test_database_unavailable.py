"""When the database is unreachable, pages answer 503 with a Dutch message, not the 500 page."""

import json

from django.db import OperationalError
from django.test import RequestFactory

from selfscan.core.views import error_500


def _handle(exc: Exception, **headers: str) -> tuple[int, str, str]:
    request = RequestFactory().get("/zelfscan/", headers=headers)
    try:
        raise exc
    except Exception:
        response = error_500(request)
    return response.status_code, response.content.decode(), response.get("Retry-After", "")


def test_lost_database_connection_gives_a_503_page_in_dutch() -> None:
    status, body, retry = _handle(OperationalError("connection refused"))
    assert status == 503
    assert "De database is even niet bereikbaar" in body
    assert retry == "30"


def test_a_database_error_behind_another_error_is_recognised() -> None:
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError as cause:
        wrapped = RuntimeError("while rendering")
        wrapped.__cause__ = cause
    assert _handle(wrapped)[0] == 503


def test_autosave_gets_json_it_can_retry_on() -> None:
    status, body, _ = _handle(OperationalError("gone"), x_requested_with="fetch")
    assert status == 503
    assert json.loads(body)["error"] == "database_unavailable"


def test_other_errors_keep_the_500_page() -> None:
    status, body, retry = _handle(ValueError("bug"))
    assert status == 500
    assert "Er ging iets mis" in body
    assert retry == ""
