"""A Celery worker process whose exports are slow (a second per row), for the test that kills
a worker mid-export (tests/exports/test_worker_killed.py).

    python -m tests.slow_worker QUEUE [POOL]

It consumes only QUEUE. With the solo pool (the default) the whole worker is this one process;
with `prefork` one child process runs the tasks.
"""

import os
import sys
import time
from collections.abc import Iterator
from typing import Any

import django


def main(queue: str, pool: str = "solo") -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selfscan.settings")
    django.setup()
    from selfscan.celery import app
    from selfscan.exports import services

    write_csv = services.write_csv

    def slow_write_csv(dictionary: Any, rows: Iterator[Any], progress: Any = None) -> bytes:
        def slowly() -> Iterator[Any]:
            for row in rows:
                time.sleep(1)
                yield row

        return write_csv(dictionary, slowly(), progress)

    services.write_csv = slow_write_csv
    app.worker_main(
        [
            "worker",
            f"--pool={pool}",
            "--concurrency=1",
            f"--queues={queue}",
            f"--hostname=slow-{queue}@%h",
            "--without-mingle",
            "--without-gossip",
            "--loglevel=INFO",
        ]
    )


if __name__ == "__main__":
    main(*sys.argv[1:3])
