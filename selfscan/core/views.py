import time
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
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


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
