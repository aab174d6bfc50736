"""The deadline rush, for locust (headless; started by benchmarks/load/run.py, never by hand
against anything but this machine's loopback address).

- SchoolTeam: logs in, opens its step, autosaves answers with think time (a save every
  BENCH_PACING seconds, each team at its own random phase: pacing.py; 0 = no pause), submits
  after BENCH_SAVES saves (never with 0), then reads its results;
- Staff: city dashboard and progress page; Board: its board dashboard;
- Floor: /health/ once a second, the stack's floor in the same run.
Each team takes its own school (a counter over the plan); BENCH_HOSTS lists the app servers
(comma-separated loopback URLs), users alternate between them.

The users are FastHttpUsers (geventhttpclient): locust runs on the same cores as the app
servers, and requests' HttpUser spent several times more CPU per request than the server under
test; the same file drives the "before" and the "after" code.
"""

import itertools
import json
import os
import random
import threading
import time
from http.cookiejar import Cookie
from typing import Any

import gevent
from locust import FastHttpUser, between, constant, task
from pacing import Pace  # locust puts this file's folder on sys.path

PLAN = json.loads(open(os.environ["BENCH_PLAN"]).read())  # noqa: SIM115
HOSTS = [h for h in os.environ.get("BENCH_HOSTS", "").split(",") if h]
for host in HOSTS:
    assert host.startswith(("http://127.", "http://localhost")), "loopback only"
PACING = float(os.environ.get("BENCH_PACING", "3"))
SAVES = int(os.environ.get("BENCH_SAVES", "8"))
_counter = itertools.count()
_hosts = itertools.count()
_lock = threading.Lock()


def _next(counter: Any) -> int:
    with _lock:
        return next(counter)


class App(FastHttpUser):
    abstract = True
    # As the reverse proxy in front of the app servers says (TLS ends there).
    default_headers = {"X-Forwarded-Proto": "https"}
    network_timeout = 120.0
    connection_timeout = 60.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if HOSTS:
            self.host = HOSTS[_next(_hosts) % len(HOSTS)]
            self.client.base_url = self.host
        self.referer = str(self.host).replace("http://", "https://") + "/"
        # The app sees HTTPS (the proxy header), so its cookies are Secure; this client plays
        # the TLS-ending proxy on loopback and sends them over plain HTTP.
        send = self.client.request

        def request(*args: Any, **kwargs: Any) -> Any:
            for cookie in self.client.cookiejar:
                cookie.secure = False
            return send(*args, **kwargs)

        self.client.request = request  # type: ignore[method-assign]

    def cookie(self, name: str) -> str:
        for cookie in self.client.cookiejar:
            if cookie.name == name:
                return cookie.value or ""
        return ""

    def set_cookie(self, name: str, value: str) -> None:
        domain = str(self.host).split("//", 1)[1].split(":")[0]
        self.client.cookiejar.set_cookie(
            Cookie(0, name, value, None, False, domain, False, False, "/", True, False, None,
                   False, None, None, {})
        )  # fmt: skip

    def login(self, email: str) -> None:
        self.client.get("/account/inloggen/", name="login page")
        token = self.cookie("csrftoken")
        self.client.post(
            "/account/inloggen/",
            {"username": email, "password": PLAN["password"], "csrfmiddlewaretoken": token},
            headers={"Referer": self.referer},
            name="login",
        )
        assert self.cookie("sessionid"), f"login of {email} failed"

    def post(self, url: str, data: dict[str, Any], name: str, ajax: bool = False) -> Any:
        token = self.cookie("csrftoken")
        headers = {"X-CSRFToken": token, "Referer": self.referer}
        if ajax:
            headers["X-Requested-With"] = "XMLHttpRequest"
        return self.client.post(
            url, {**data, "csrfmiddlewaretoken": token}, headers=headers, name=name
        )


class SchoolTeam(App):
    weight = 20

    def on_start(self) -> None:
        index = _next(_counter) % len(PLAN["teams"])
        self.team = PLAN["teams"][index]
        self.versions: dict[int, int] = {}
        self.saves = 0
        self.submitted = False
        # A signed-in session made by setup_data.py (cookie as the browser would have it).
        self.set_cookie("sessionid", self.team["session"])
        self.client.get(  # the step page also sets the CSRF cookie
            f"/zelfscan/{self.team['scan']}/invullen/{PLAN['first_step']}/", name="wizard step"
        )
        self.pace = Pace(PACING)  # with PACING 0: no wait, before the first save or after any
        gevent.sleep(self.pace.start(time.monotonic()))

    def wait_time(self) -> float:
        """Each team at its own phase (pacing.py: locust's constant_pacing made bursts)."""
        return self.pace.wait(time.monotonic())

    @task
    def work(self) -> None:
        scan = self.team["scan"]
        if self.submitted:
            self.client.get(
                f"/resultaten/{PLAN['round']}/school/{self.team['school']}/",
                name="school results",
            )
            return
        if SAVES and self.saves >= SAVES:
            response = self.post(f"/zelfscan/{scan}/indienen/", {"confirm": "1"}, "submit")
            self.submitted = response.status_code < 400
            return
        missing = PLAN["missing"]
        sid = (
            missing[self.saves] if self.saves < len(missing) else random.choice(PLAN["statements"])
        )
        value = random.choice(["3", "4"]) if self.saves < len(missing) else random.choice("1234")
        with self.client.post(
            f"/zelfscan/{scan}/opslaan/",
            {
                "statement": sid,
                "value": value,
                "version": self.versions.get(sid, 0),
                "csrfmiddlewaretoken": self.cookie("csrftoken"),
            },
            headers={
                "X-CSRFToken": self.cookie("csrftoken"),
                "X-Requested-With": "XMLHttpRequest",
                "Referer": self.referer,
            },
            name="autosave",
            catch_response=True,
        ) as response:
            if response.status_code == 200 and response.json().get("ok"):
                self.versions[sid] = response.json()["version"]
                response.success()
            else:
                response.failure(f"{response.status_code} {response.text[:120]}")
        self.saves += 1


class Staff(App):
    fixed_count = 2
    wait_time = between(2, 4)

    def on_start(self) -> None:
        self.login(PLAN["staff"])

    @task(2)
    def city(self) -> None:
        self.client.get(f"/resultaten/{PLAN['round']}/stad/", name="city dashboard")

    @task(1)
    def progress(self) -> None:
        self.client.get(f"/meetrondes/{PLAN['round']}/voortgang/", name="progress page")


class Board(App):
    fixed_count = 2
    wait_time = between(2, 4)

    def on_start(self) -> None:
        self.board = random.choice(PLAN["boards"])
        self.login(self.board["email"])

    @task
    def dashboard(self) -> None:
        self.client.get(
            f"/resultaten/{PLAN['round']}/bestuur/{self.board['bestuur']}/", name="board dashboard"
        )


class Floor(App):
    fixed_count = 1
    wait_time = constant(1)

    @task
    def health(self) -> None:
        self.client.get("/health/", name="/health/")
