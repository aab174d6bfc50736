"""Start-up refuses unsafe production settings with one clear line."""

import subprocess

from tests.processes import run_project


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return run_project("manage.py", *args, **env)


def test_debug_off_without_secret_key_refuses_to_start():
    result = run_manage("check", DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="zelfscan.example.nl")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("selfscan: DJANGO_SECRET_KEY is not set")


def test_debug_on_with_public_host_refuses_to_start():
    result = run_manage("check", DJANGO_DEBUG="1", DJANGO_ALLOWED_HOSTS="zelfscan.example.nl")
    assert result.returncode == 1
    assert "DJANGO_DEBUG is on" in result.stderr


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="a" * 10 + "-production-like-secret-key-with-enough-entropy-Zq8",
        DJANGO_ALLOWED_HOSTS="zelfscan.example.nl",
        SELFSCAN_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
