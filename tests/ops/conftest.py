"""A running copy of the application on a PostgreSQL server of the test's own, loaded with the
demo: for tests that stop the database under it, or dump and restore it."""

import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.pg_server import TempPostgres, free_port, postgres_bin
from tests.processes import ROOT, run_project

pytestmark = pytest.mark.skipif(
    postgres_bin("initdb") is None, reason="PostgreSQL server binaries (initdb) are not installed"
)


def project_env(database_url: str, var_dir: str) -> dict[str, str]:
    """The environment of a production-like process: debug off, its own var folder, no broker
    (tasks run in-process, as in the demo)."""
    return {
        "DATABASE_URL": database_url,
        "SELFSCAN_VAR_DIR": var_dir,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "ops-test-" + "k" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "CELERY_BROKER_URL": "",
        "CELERY_RESULT_BACKEND": "",
    }


def run_checked(*args: str, env: dict[str, str]) -> str:
    done = run_project(*args, strip=("DJANGO_", "DATABASE_URL", "CELERY_"), **env)
    assert done.returncode == 0, f"{args} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@dataclass
class DemoServer:
    postgres: TempPostgres
    base_url: str
    process: subprocess.Popen[bytes]
    env: dict[str, str]

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.base_url + path, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


@pytest.fixture(scope="session")
def demo_postgres() -> Iterator[TempPostgres]:
    """A fresh PostgreSQL server holding a migrated database with the demo loaded."""
    postgres = TempPostgres()
    var_dir = tempfile.mkdtemp(prefix="selfscan-ops-var-")
    try:
        postgres.start()
        postgres.create_database()
        env = project_env(postgres.url, var_dir)
        run_checked("manage.py", "migrate", "--no-input", "-v", "0", env=env)
        run_checked("manage.py", "load_demo", env=env)
        yield postgres
    finally:
        postgres.destroy()


@pytest.fixture(scope="module")
def demo_server(demo_postgres: TempPostgres) -> Iterator[DemoServer]:
    """gunicorn with debug off on the demo database, as in production."""
    var_dir = tempfile.mkdtemp(prefix="selfscan-ops-var-")
    env = project_env(demo_postgres.url, var_dir)
    run_checked("manage.py", "collectstatic", "--no-input", "-v", "0", env=env)
    port = free_port()
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))}
    clean.update(env)
    log = Path(var_dir) / "gunicorn.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "selfscan.wsgi:application",
                "--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "60",
            ],
            cwd=ROOT, env=clean, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    server = DemoServer(demo_postgres, f"http://127.0.0.1:{port}", process, env)
    try:
        for _ in range(120):
            try:
                if server.get("/health/")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        else:
            raise AssertionError("gunicorn did not start:\n" + log.read_text())
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def query(postgres: TempPostgres, sql: str, *params: Any, dbname: str = "selfscan") -> list[Any]:
    import psycopg

    with psycopg.connect(
        host="127.0.0.1", port=postgres.port, user="postgres", dbname=dbname
    ) as conn:
        return list(conn.execute(sql, params).fetchall())
