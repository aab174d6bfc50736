"""A PostgreSQL server of the test's own: initdb in a temporary folder, on a free loopback port.

The machine's shared server must never be stopped by a test; this one can be stopped and
started again at will (the database-restart test) and is thrown away afterwards."""

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def postgres_bin(name: str) -> str | None:
    """The newest installed PostgreSQL server binary `name` (initdb, pg_ctl, pg_dump, ...)."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class TempPostgres:
    """initdb + pg_ctl start/stop. As root the server runs as the `postgres` user (PostgreSQL
    refuses to run as root)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="selfscan-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self._as: list[str] = []
        if os.geteuid() == 0:
            self._as = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.root, "postgres", "postgres")
        self._run(
            postgres_bin("initdb") or "initdb",
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
            "-E",
            "UTF8",
        )

    def _run(self, *cmd: str) -> None:
        subprocess.run([*self._as, *cmd], check=True, capture_output=True, timeout=120)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/selfscan"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            postgres_bin("pg_ctl") or "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
        )

    def stop(self) -> None:
        pg_ctl = postgres_bin("pg_ctl") or "pg_ctl"
        self._run(pg_ctl, "-D", str(self.data), "-m", "fast", "-w", "stop")

    def is_up(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True
        except OSError:
            return False

    def create_database(self, name: str = "selfscan") -> None:
        self._run(
            postgres_bin("createdb") or "createdb",
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            name,
        )

    def destroy(self) -> None:
        if self.is_up():
            with contextlib.suppress(subprocess.SubprocessError):
                self.stop()
        for _ in range(20):
            if not self.is_up():
                break
            time.sleep(0.5)
        shutil.rmtree(self.root, ignore_errors=True)
