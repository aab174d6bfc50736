"""One way for tests to run tasks through a real Celery worker over Redis.

Celery caches per process what it first met: the result backend, the broker connection pool,
the producer pool and the queue selection a worker narrowed. Eager runs earlier in a session
create some of these for the settings' broker (none configured), so every real-worker test
starts and ends by forgetting them; otherwise the next test talks to the wrong broker or has no
result backend, depending on the order tests happen to run in.
"""

import contextlib
import os
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import redis
from celery.contrib.testing.worker import start_worker

from selfscan.celery import app

# One broker per test session: CI's, or database 15 of the local Redis.
REDIS_URL = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/15"
CONF_KEYS = ("broker_url", "result_backend", "task_always_eager")


def forget_celery_caches() -> None:
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)
    app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


@contextlib.contextmanager
def real_worker(
    queue: str | None = None, *, purge: bool = False, url: str = REDIS_URL
) -> Iterator[Any]:
    """A worker thread on Redis for the duration of the block. With `queue`, it consumes only
    that queue (so no other session's worker on the same broker takes the tasks), and the queue
    and its bindings are removed afterwards. `purge` empties the default queue first (tasks
    an interrupted run left there would be taken first). `url`: another Redis than the
    session's (a test's own, OwnRedis)."""
    saved = {key: app.conf[key] for key in CONF_KEYS}
    app.conf.update(broker_url=url, result_backend=url, task_always_eager=False)
    forget_celery_caches()
    if purge:
        app.control.purge()
    queues = app.amqp.queues
    selected = queues._consume_from
    options: dict[str, Any] = {"queues": [queue]} if queue else {}
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, shutdown_timeout=10, **options
        ) as worker:
            yield worker
        if queue:
            broker = redis.Redis.from_url(url)
            leftovers = list(broker.scan_iter(f"*{queue}*"))
            if leftovers:
                broker.delete(*leftovers)
    finally:
        # A worker started with `queues` narrows the app's shared selection: give it back.
        queues._consume_from = selected
        if queue:
            queues.pop(queue, None)
        app.conf.update(saved)
        forget_celery_caches()


def private_queue(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex}"


@contextlib.contextmanager
def app_on(url: str) -> Iterator[None]:
    """The app sends tasks to the broker at `url` (no worker) for the duration of the block."""
    saved = {key: app.conf[key] for key in CONF_KEYS}
    app.conf.update(broker_url=url, result_backend=url, task_always_eager=False)
    forget_celery_caches()
    try:
        yield
    finally:
        app.conf.update(saved)
        forget_celery_caches()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class OwnRedis:
    """A redis-server of the test's own on a free port, which the test stops (the broker is
    down) and starts again (the broker is back), without touching the session's Redis."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.directory = directory
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                *("--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(self.directory)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=1)
        for _ in range(600):  # up to a minute on a busy machine
            with contextlib.suppress(redis.RedisError):
                if client.ping():
                    return
            time.sleep(0.1)
        raise RuntimeError(f"redis-server on port {self.port} did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=60)
            self.process = None


def forget_unacked(queue: str, url: str = REDIS_URL) -> None:
    """Remove the tasks for `queue` that a killed worker received but never acknowledged (Redis
    keeps them to hand out again after the visibility timeout)."""
    broker = redis.Redis.from_url(url)
    for tag, payload in broker.hgetall("unacked").items():
        if queue.encode() in payload:
            broker.hdel("unacked", tag)
            broker.zrem("unacked_index", tag)
