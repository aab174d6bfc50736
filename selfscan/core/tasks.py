import os
from typing import Any

from celery import shared_task
from django.db import connection


@shared_task(name="core.probe")
def probe(token: str) -> dict[str, Any]:
    """Answer with the token, the worker's process id and a database round trip.

    Used by the real-worker test to prove that tasks travel through the broker, are serialised
    as JSON, and that the worker reaches the same database.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (one,) = cursor.fetchone()
    return {
        "token": token,
        "pid": os.getpid(),
        "database": one == 1,
        "eager": probe.request.is_eager,
    }
