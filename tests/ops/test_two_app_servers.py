"""Two app servers, one PostgreSQL and one Redis: a school journey alternates between them.

Two gunicorn instances on two ports (debug off, as in production) share the demo database of
tests/ops and one Redis (sessions through `cached_db`, the questionnaire cache). The team logs
in on A, autosaves every answer on B, submits on A and reads its results on B; a logout on B
ends the session on A too. Nothing lives in one process or on one local disk
(docs/scaling.md)."""

import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.ops.conftest import project_env, query, run_checked
from tests.pg_server import TempPostgres, free_port
from tests.processes import ROOT

SCHOOL_EMAIL = "school@demo.passendonderwijsalmere.nl"
DEMO_PASSWORD = "demo-zelfscan-2025"  # the demo's published password
CACHE_URL = os.environ.get("TEST_CACHE_URL", "redis://127.0.0.1:6379/14")


class Browser:
    """A cookie-keeping client that plays the TLS-ending proxy: the app sees HTTPS (its cookies
    are Secure), the client speaks plain HTTP on loopback."""

    def __init__(self) -> None:
        self.session = requests.Session()
        self.session.headers["X-Forwarded-Proto"] = "https"

    def _prepare(self, base: str) -> None:
        for cookie in self.session.cookies:
            cookie.secure = False
        self.session.headers["Referer"] = base.replace("http://", "https://") + "/"

    def get(self, base: str, path: str) -> requests.Response:
        self._prepare(base)
        return self.session.get(base + path, allow_redirects=False, timeout=60)

    def post(self, base: str, path: str, data: dict[str, Any], **headers: str) -> requests.Response:
        self._prepare(base)
        token = str(self.session.cookies.get("csrftoken") or "")
        return self.session.post(
            base + path,
            data={**data, "csrfmiddlewaretoken": token},
            headers={"X-CSRFToken": token, **headers},
            allow_redirects=False,
            timeout=60,
        )


@pytest.fixture
def two_servers(demo_postgres: TempPostgres) -> Iterator[list[str]]:
    var_root = tempfile.mkdtemp(prefix="selfscan-two-")
    processes, urls = [], []
    try:
        for name in ("a", "b"):
            # Each instance its own var folder: nothing may depend on a shared local disk.
            env = {**project_env(demo_postgres.url, f"{var_root}/{name}"), "CACHE_URL": CACHE_URL}
            run_checked("manage.py", "collectstatic", "--no-input", "-v", "0", env=env)
            clean = {
                k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))
            }
            clean.update(env)
            port = free_port()
            log = Path(var_root) / f"gunicorn-{name}.log"
            with log.open("wb") as out:
                processes.append(
                    subprocess.Popen(
                        [
                            sys.executable,
                            "-m",
                            "gunicorn",
                            "selfscan.wsgi:application",
                            "--bind",
                            f"127.0.0.1:{port}",
                            # As docs/scaling.md recommends (decision 0266).
                            "--workers",
                            "1",
                            "--worker-class",
                            "gthread",
                            "--threads",
                            "4",
                            "--keep-alive",
                            "75",
                            "--timeout",
                            "120",
                        ],
                        cwd=ROOT,
                        env=clean,
                        stdout=out,
                        stderr=subprocess.STDOUT,
                    )
                )
            urls.append(f"http://127.0.0.1:{port}")
        for url in urls:
            for _ in range(240):
                try:
                    if requests.get(url + "/health/", timeout=10).status_code == 200:
                        break
                except requests.RequestException:
                    pass
                time.sleep(0.5)
            else:
                raise AssertionError(f"{url} did not start")
        yield urls
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def test_a_school_journey_alternates_between_two_app_servers(two_servers, demo_postgres):
    a, b = two_servers
    (scan_id, school_id, round_id, version_id, sector) = query(
        demo_postgres,
        """SELECT s.id, s.school_id, s.round_id, s.norm_version_id, s.sector
             FROM scans_scan s
             JOIN rounds_round r ON r.id = s.round_id
             JOIN accounts_user_schools us ON us.school_id = s.school_id
             JOIN accounts_user u ON u.id = us.user_id
            WHERE u.email = %s AND r.status = 'open' AND s.submitted_at IS NULL
            ORDER BY s.id LIMIT 1""",
        SCHOOL_EMAIL,
    )[0]
    statements = query(
        demo_postgres,
        """SELECT st.id, COALESCE(a.version, 0) FROM norms_statement st
             LEFT JOIN scans_answer a ON a.statement_id = st.id AND a.scan_id = %s
            WHERE st.version_id = %s AND st.sectors @> to_jsonb(%s::text)""",
        scan_id,
        version_id,
        sector,
    )
    browser = Browser()
    try:
        # Log in on A.
        assert browser.get(a, "/account/inloggen/").status_code == 200
        login = browser.post(
            a, "/account/inloggen/", {"username": SCHOOL_EMAIL, "password": DEMO_PASSWORD}
        )
        assert login.status_code == 302, login.text[:300]
        # The same session on B: the wizard opens there.
        step = browser.get(b, f"/zelfscan/{scan_id}/invullen/")
        assert step.status_code == 302 and "/invullen/" in step.headers["Location"]
        page = browser.get(b, step.headers["Location"].replace("https://", "http://"))
        assert page.status_code == 200 and re.search(r'data-statement="\d+"', page.text)
        # Autosave every answer on B.
        for statement_id, version in statements:
            saved = browser.post(
                b,
                f"/zelfscan/{scan_id}/opslaan/",
                {"statement": statement_id, "value": "3", "version": version},
                **{"X-Requested-With": "XMLHttpRequest"},
            )
            assert saved.status_code == 200 and saved.json()["ok"], saved.text[:300]
        assert saved.json()["overall"]["answered"] == saved.json()["overall"]["total"]
        # Submit on A.
        submitted = browser.post(a, f"/zelfscan/{scan_id}/indienen/", {"confirm": "1"})
        assert submitted.status_code == 302
        assert f"/zelfscan/{scan_id}/" in submitted.headers["Location"]
        status = query(demo_postgres, "SELECT status FROM scans_scan WHERE id = %s", scan_id)
        assert status == [("ingediend",)]
        # Results on B, updated by the submit on A.
        results = browser.get(b, f"/resultaten/{round_id}/school/{school_id}/")
        assert results.status_code == 200
        stored = query(
            demo_postgres,
            """SELECT submitted FROM results_aggregaterow
                WHERE round_id = %s AND level = 'school' AND key = %s AND theme_id IS NULL""",
            round_id,
            str(school_id),
        )
        assert stored == [(1,)]
        # A logout on B ends the session on A as well (no session copy lives in a process).
        assert browser.post(b, "/account/uitloggen/", {}).status_code in (200, 302)
        after = browser.get(a, f"/zelfscan/{scan_id}/")
        assert after.status_code == 302 and "/account/inloggen/" in after.headers["Location"]
    finally:
        # Leave the demo's open scan as other tests of this module's database expect it.
        query(
            demo_postgres,
            "UPDATE scans_scan SET status = 'bezig', submitted_at = NULL, submitted_by_id = NULL"
            " WHERE id = %s RETURNING id",
            scan_id,
        )
