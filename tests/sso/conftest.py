"""A real OpenID Connect provider on loopback for the SSO tests (tests/sso/provider/).

Started once per test session with its own SQLite file, after the app's live server (whose
callback address the provider must know). The app reaches it as http://127.0.0.1:<port>/o and
the browser too; the app itself runs on `localhost`, so the two sites' cookies never mix.
"""

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.processes import ROOT
from tests.sso.provider.setup import PASSWORD

SLUG = "testschool"
CLIENT_ID = "zelfscan-test"
CLIENT_SECRET = "zelfscan-test-geheim-" + "s" * 20


@dataclass
class Provider:
    issuer: str
    directory: Path

    def expire_code(self, code: str) -> int:
        """Make the provider's authorization code `code` expired; returns the rows changed."""
        with sqlite3.connect(self.directory / "provider.sqlite3") as db:
            return db.execute(
                "UPDATE oauth2_provider_grant SET expires = '2000-01-01 00:00:00' WHERE code = ?",
                (code,),
            ).rowcount

    def config(self) -> dict[str, Any]:
        return {
            "slug": SLUG,
            "issuer": self.issuer,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "label": "Inloggen met Testschool",
            "trust_email": False,
        }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def oidc_provider(live_server: Any, tmp_path_factory: Any) -> Iterator[Provider]:
    directory = tmp_path_factory.mktemp("oidc-provider")
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))},
        "PROVIDER_DIR": str(directory),
        "DJANGO_SETTINGS_MODULE": "tests.sso.provider.settings",
        "CLIENT_ID": CLIENT_ID,
        "CLIENT_SECRET": CLIENT_SECRET,
        "REDIRECT_URI": f"{live_server.url}/account/inloggen/school/{SLUG}/terug/",
    }
    subprocess.run(
        [sys.executable, "-m", "tests.sso.provider.setup"], cwd=ROOT, env=env, check=True
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    issuer = f"http://127.0.0.1:{port}/o"
    try:
        for _attempt in range(300):
            try:
                urllib.request.urlopen(issuer + "/.well-known/openid-configuration", timeout=2)
                break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError("the test OIDC provider did not start") from None
                time.sleep(0.1)
        else:
            raise RuntimeError("the test OIDC provider did not answer")
        yield Provider(issuer, directory)
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def sso_on(settings: Any, oidc_provider: Provider) -> Provider:
    settings.SSO_PROVIDERS = [oidc_provider.config()]
    return oidc_provider


def provider_login(page: Any, live_server_url: str, email: str, next_url: str = "") -> None:
    """Click the provider button on our login page and sign in at the provider."""
    suffix = f"?next={next_url}" if next_url else ""
    page.goto(f"{live_server_url}/account/inloggen/{suffix}")
    page.click("text=Inloggen met Testschool")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
