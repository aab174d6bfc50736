"""Run the project in a child process with a clean environment: settings are read once, at
start, so tests of environment variables need a fresh interpreter."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_project(
    *args: str, strip: tuple[str, ...] = ("DJANGO_",), **env: str
) -> subprocess.CompletedProcess[str]:
    """`python *args` in the project root, without the variables that start with `strip`,
    plus `env`."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(strip)}
    clean.update(env)
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )
