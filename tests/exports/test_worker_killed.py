"""A worker killed mid-export (SIGKILL: out of memory, a deploy) does not leave the job `bezig`
on a self-refreshing page forever (docs/decisions/0170). A killed pool process hands its task
back at once (acks_late, reject_on_worker_lost) and the export is built again; a worker killed
whole leaves it to the sweeper, which marks it failed, the page says so and offers "Opnieuw
proberen", and a new worker then builds the file."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from selfscan.core.jobs import STALLED
from selfscan.core.sweeper import sweep
from selfscan.exports import services, tasks
from selfscan.exports.models import ExportJob
from tests.celery_worker import REDIS_URL, app_on, forget_unacked, private_queue, real_worker
from tests.processes import ROOT
from tests.results.world import world_round

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

STOPPED = "De achtergrondtaak is gestopt zonder resultaat"


def database_url() -> str:
    """The test database, for a worker in another process."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def queue(monkeypatch):
    """Export tasks go to a queue of this test's own (no other worker on the broker takes
    them)."""
    name = private_queue("killed-export")
    monkeypatch.setattr(
        tasks.run_export, "delay", lambda *args: tasks.run_export.apply_async(args, queue=name)
    )
    monkeypatch.setattr(services, "ASYNC_ROWS", 0)
    yield name
    forget_unacked(name)


def start_slow_worker(queue, log, pool="solo"):
    """A worker in its own process whose exports take a second per row."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_RESULT_BACKEND": REDIS_URL,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "tests.slow_worker", queue, pool],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


@pytest.fixture
def worker_process(queue, tmp_path):
    """Start with `worker_process(pool)`; killed with its children at the end."""
    log = (tmp_path / "worker.log").open("wb")
    processes = []

    def start(pool="solo"):
        processes.append(start_slow_worker(queue, log, pool))
        return processes[-1]

    try:
        yield start
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=60)
        log.close()


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            # pid (comm) state ppid ...: comm may hold spaces, so split after its ")".
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found.append(int(stat.parent.name))
    return found


def started(job, process, tmp_path):
    """The job once a worker took it (a worker starts slowly on a busy machine)."""
    for _ in range(3000):
        job.refresh_from_db()
        if job.status != ExportJob.Status.PENDING or process.poll() is not None:
            break
        time.sleep(0.1)
    log = (tmp_path / "worker.log").read_text(errors="replace")
    assert job.status == ExportJob.Status.RUNNING, log
    return job


def request_export(client, world):
    with app_on(REDIS_URL):
        response = client.post(
            reverse("exports:index"),
            {"round": world_round(world).pk, "kind": "stellingen", "file_format": "csv"},
        )
    assert response.status_code == 302
    return ExportJob.objects.get()


def test_an_export_whose_pool_process_is_killed_is_delivered_again_and_built(
    world, worker_process, tmp_path
):
    client = Client()
    client.force_login(world.user("board"))
    process = worker_process("prefork")
    job = started(request_export(client, world), process, tmp_path)
    (child,) = children(process.pid)
    os.kill(child, signal.SIGKILL)  # the out-of-memory killer takes the pool process
    for _ in range(3000):
        job.refresh_from_db()
        if job.status != ExportJob.Status.RUNNING:
            break
        time.sleep(0.1)
    log = (tmp_path / "worker.log").read_text(errors="replace")
    assert (job.status, job.progress) == (ExportJob.Status.DONE, 100), log
    assert "WorkerLostError" in log  # it was killed mid-export, then built again
    assert b"11AA00" in bytes(job.content)


def test_an_export_whose_worker_is_killed_fails_visibly_and_succeeds_when_tried_again(
    world, queue, worker_process, tmp_path
):
    client = Client()
    client.force_login(world.user("board"))
    slow_worker = worker_process()
    job = started(request_export(client, world), slow_worker, tmp_path)
    slow_worker.kill()  # SIGKILL, mid-export
    slow_worker.wait(timeout=60)
    job.refresh_from_db()
    assert (job.status, job.progress) == (ExportJob.Status.RUNNING, 1)
    page = client.get(reverse("exports:job", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' in page  # what the person saw forever before

    # Past the time limit the sweeper (a beat task) gives up on it.
    assert sweep(now=timezone.now() + timedelta(minutes=31)).exports == 1
    job.refresh_from_db()
    assert (job.status, job.error) == (ExportJob.Status.FAILED, STALLED)
    page = client.get(reverse("exports:job", args=[job.pk])).content.decode()
    assert STOPPED in page and "Opnieuw proberen" in page
    assert 'http-equiv="refresh"' not in page

    # "Opnieuw proberen" with a worker running: the file is built.
    with real_worker(queue):
        client.post(reverse("exports:job_retry", args=[job.pk]))
        for _ in range(3000):
            job.refresh_from_db()
            if not job.is_running:
                break
            time.sleep(0.1)
    assert (job.status, job.progress) == (ExportJob.Status.DONE, 100)
    download = client.get(reverse("exports:job_download", args=[job.pk]))
    assert download.status_code == 200 and b"11AA00" in download.content
