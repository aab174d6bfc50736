import sys
import time
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .selectors import home_for


def home(request: HttpRequest) -> HttpResponse:
    """Public introduction for visitors; after login, what matters to the user's role."""
    context = {"home": home_for(request.user)} if request.user.is_authenticated else {}
    return render(request, "core/home.html", context)


def _check(fn: Any) -> dict[str, Any]:
    started = time.monotonic()
    try:
        fn()
    except Exception as exc:
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "ms": round((time.monotonic() - started) * 1000, 1)}


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _broker() -> None:
    from selfscan.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """Database check always; broker check when a broker is configured. 503 when one fails."""
    checks = {"database": _check(_database)}
    if settings.CELERY_BROKER_URL:
        checks["broker"] = _check(_broker)
    ok = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if ok else "error", "checks": checks}, status=200 if ok else 503
    )


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A Dutch page for an expired or missing form token (e.g. a form left open overnight)."""
    return render(request, "403_csrf.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def _database_unavailable() -> bool:
    """Is the exception being handled a lost or refused database connection?"""
    exc = sys.exc_info()[1]
    while exc is not None:
        if isinstance(exc, (OperationalError, InterfaceError)):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def error_500(request: HttpRequest) -> HttpResponse:
    """The 500 page; a 503 that says the database is briefly unavailable when that is the cause.

    Neither page touches the database (no user, no session), so both render while it is down.
    The scan's autosave asks for JSON and gets a JSON answer it can retry on."""
    if not _database_unavailable():
        return HttpResponse(render_to_string("500.html"), status=500)
    message = _(
        "De database is even niet bereikbaar. Wat u eerder opsloeg is bewaard; "
        "probeer het over een minuut opnieuw."
    )
    if "application/json" in request.headers.get("Accept", "") or request.headers.get(
        "X-Requested-With"
    ):
        response: HttpResponse = JsonResponse(
            {"ok": False, "error": "database_unavailable", "message": message}, status=503
        )
    else:
        response = HttpResponse(render_to_string("503.html", {"message": message}), status=503)
    response["Retry-After"] = "30"
    return response
