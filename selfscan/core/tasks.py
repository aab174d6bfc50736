"""Enqueueing background tasks, and the tasks that keep background jobs from getting stuck.

Every task in the project is sent with `enqueue` (or `enqueue_on_commit` inside a transaction),
never with `.delay()`: a broker that is down then fails fast (short timeouts and few retries in
the settings) and `on_failure` marks the job failed, so that the person sees that the background
service is unavailable and can try again, instead of a bare 500 and a job waiting forever
(docs/decisions/0170-enqueue-and-sweeper.md).
"""

import logging
import os
from collections.abc import Callable
from typing import Any

from celery import shared_task
from django.db import connection, transaction
from kombu.exceptions import KombuError

log = logging.getLogger(__name__)

OnFailure = Callable[[Exception], None]


def _broker_errors() -> tuple[type[Exception], ...]:
    """What sending a task raises when the broker or the result store cannot be reached:
    kombu's errors, socket errors, redis-py's errors, and the RuntimeError that Celery's Redis
    result store raises when it gives up reconnecting."""
    errors: list[type[Exception]] = [KombuError, OSError, RuntimeError]
    try:
        from redis.exceptions import RedisError
    except ImportError:  # pragma: no cover - redis is installed with the project
        pass
    else:
        errors.append(RedisError)
    return tuple(errors)


BROKER_ERRORS = _broker_errors()


def enqueue(task: Any, *args: Any, on_failure: OnFailure | None = None, **options: Any) -> bool:
    """Send `task` with `args` to the broker. Answers whether it was sent.

    When the broker cannot be reached, the error is logged and `on_failure(error)` is called
    (it marks the job failed); nothing is raised. Without a broker (eager mode) the task runs
    in-process and its own errors propagate as before: they are not about the broker."""
    from selfscan.celery import app

    def send() -> None:
        # `delay` is `apply_async` without options; tests route tasks by patching `delay`.
        if options:
            task.apply_async(args=args, **options)
        else:
            task.delay(*args)

    if app.conf.task_always_eager:
        send()
        return True
    try:
        send()
    except BROKER_ERRORS as error:
        log.error("Could not enqueue %s%r: %s", task.name, args, error)
        if on_failure is not None:
            on_failure(error)
        return False
    return True


def enqueue_on_commit(
    task: Any, *args: Any, on_failure: OnFailure | None = None, **options: Any
) -> None:
    """`enqueue` once the current transaction commits (at once outside a transaction), so that
    the worker finds the records it is told about, and a failure can be stored on them."""
    transaction.on_commit(lambda: enqueue(task, *args, on_failure=on_failure, **options))


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


@shared_task(name="core.sweep_stalled_jobs")
def sweep_stalled_jobs() -> dict[str, int]:
    """Every few minutes (beat): mark background jobs without progress past the time limit as
    failed, so that their pages stop waiting and offer to try again (idempotent)."""
    from selfscan.core.sweeper import sweep

    return sweep().as_dict()
