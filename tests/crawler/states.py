"""The demo, its logins, and the states a round passes through, built with the services.

Each state is one function that changes the demo (already in the previous state) and returns
the extra URL arguments it created (tokens from e-mails), or None when it cannot be built. They
run in `STATES` order; the crawl runs after each.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from selfscan.accounts import demo as accounts_demo
from selfscan.accounts.models import Role, User
from selfscan.accounts.services import invite_user
from selfscan.exports.services import request_export, request_school_report, run_job
from selfscan.imports import jobs as import_jobs
from selfscan.imports import selectors as import_selectors
from selfscan.imports import writing
from selfscan.organisations import jobs as register_jobs
from selfscan.organisations.importer import template_csv as register_template_csv
from selfscan.perspectives import demo as perspectives_demo
from selfscan.rounds import demo as rounds_demo
from selfscan.rounds import services as rounds
from selfscan.rounds.models import Round
from selfscan.scans.models import Scan
from selfscan.scans.services import reopen_scan

Extra = dict[str, list[dict[str, Any]]]

# Every demo login (README's table), by a short name; "anonymous" has none.
ROLES: dict[str, str | None] = {
    "anonymous": None,
    "admin": accounts_demo.ADMIN_EMAIL,
    "staff": accounts_demo.STAFF_EMAIL,
    "school": accounts_demo.SCHOOL_EMAIL,
    "ib": accounts_demo.IB_EMAIL,
    "vo": accounts_demo.VO_EMAIL,
    "sv": accounts_demo.SV_EMAIL,
    "board": accounts_demo.BOARD_EMAIL,
    "adviser": accounts_demo.ADVISER_EMAIL,
    "team": rounds_demo.TEAM_EMAIL,
    # a team member whose own answers are not finished (team perspectives, issue 15)
    "member": perspectives_demo.UNFINISHED_EMAIL,
}

NEXT_NAME = "Zelfscan 2026-2027"
SCHEDULED_NAME = "Zelfscan 2027-2028"


@dataclass(frozen=True)
class Scope:
    """What the crawl visits in a state: routes starting with one of `only` (and the home
    page), at most `per_route` URLs per route and login, and the filled URL patterns for the
    logins in `seed_roles`."""

    only: tuple[str, ...]
    per_route: int
    seed_roles: tuple[str, ...]


def staff() -> User:
    return User.objects.get(email=accounts_demo.STAFF_EMAIL)


def current_round() -> Round:
    return Round.objects.get(name=rounds_demo.OPEN_NAME)


def demo_open() -> Extra:
    """`make demo` as it is: the 0-meting published (PO and VO on ANB 2024), 2025-2026 open on
    ANB 2025 with schools not started (no answers), in progress and submitted. SV has no
    earlier round and ANB 2025 has themes that are new. Plus what e-mail links and background
    jobs need: an invitation, a password reset, an export, an import and a register dry run."""
    call_command("load_demo", verbosity=0, stdout=_Null())
    by = staff()
    # A team member whose invitation is still open: the progress page offers to send it again.
    school = User.objects.get(email=accounts_demo.SCHOOL_EMAIL).schools.get()
    invited, token = invite_user(
        email="nieuw@demo.passendonderwijsalmere.nl", role=Role.SCHOOL, schools=[school], actor=by
    )
    # for someone who never logs in during the crawl: a login changes the token's hash
    reset = {
        "uidb64": urlsafe_base64_encode(force_bytes(invited.pk)),
        "token": default_token_generator.make_token(invited),
    }
    round_ = current_round()
    request_export(user=by, round_=round_, kind="scholen", file_format="csv")
    # A school report PDF made by a job (decision 0232): its job page and download.
    submitted = Scan.objects.filter(round=round_, status=Scan.Status.SUBMITTED).first()
    assert submitted is not None
    run_job(request_school_report(user=by, scan=submitted, language="nl").pk)
    version = round_.version_po
    assert version is not None
    content = writing.to_csv(import_selectors.example_rows(version, "wide"))
    import_jobs.start_check(round=round_, content=content, file_name="voorbeeld.csv", by=by)
    # A register file's dry run (decision 0163), linked from the register import page.
    register = register_jobs.start_check(
        user=by, content=register_template_csv(), file_name="sjabloon.csv", close_missing=False
    )
    register_jobs.run_check(register.pk)
    return {
        "accounts:invitation_accept": [{"token": token}],
        "accounts:password_reset_confirm": [reset],
    }


def scan_reopened() -> Extra:
    """A submitted scan of the open round reopened by staff (the scan-level reopen)."""
    scan = Scan.objects.filter(round=current_round(), status=Scan.Status.SUBMITTED).first()
    assert scan is not None
    reopen_scan(scan=scan, by=staff(), reason="Thema 3 graag nog eens bekijken.")
    return {}


def next_round_concept() -> Extra:
    """A new round in concept, inviting the default schools (no earlier round: `save_round`
    does not set one)."""
    v2025 = current_round().version_po
    today = timezone.localdate()
    rounds.save_round(
        round_=None,
        by=staff(),
        data={
            "name": NEXT_NAME,
            "version_po": v2025,
            "version_vo": v2025,
            "version_sv": v2025,
            "opens_on": today,
            "closes_on": today + dt.timedelta(days=90),
        },
        invited=None,
    )
    return {}


def next_round_open_nothing_submitted() -> Extra:
    rounds.open_round(round_=Round.objects.get(name=NEXT_NAME), by=staff())
    return {}


def closed() -> Extra:
    rounds.close_round(round_=current_round(), by=staff())
    return {}


def reopened() -> Extra:
    """The closed round reopened by staff with a later closing date and a reason that the
    schools see on their home page and scan overview."""
    rounds.reopen_round(
        round_=current_round(),
        by=staff(),
        closes_on=timezone.localdate() + dt.timedelta(days=14),
        reason="Drie scholen hadden een storing; zij krijgen twee weken extra.",
    )
    return {}


def scheduled() -> Extra:
    """A round opened ahead of its opening date: scheduled (gepland), nothing to fill in yet."""
    v2025 = current_round().version_po
    opens = timezone.localdate() + dt.timedelta(days=60)
    later = rounds.save_round(
        round_=None,
        by=staff(),
        data={
            "name": SCHEDULED_NAME,
            "version_po": v2025,
            "version_vo": v2025,
            "version_sv": v2025,
            "opens_on": opens,
            "closes_on": opens + dt.timedelta(days=90),
        },
        invited=None,
    )
    assert rounds.open_round(round_=later, by=staff()) == 0  # scheduled: no scans yet
    return {}


def published() -> Extra:
    rounds.close_round(round_=current_round(), by=staff())
    rounds.publish_round(round_=current_round(), by=staff())
    return {}


# The first state is crawled whole: every login follows every link, and visits every URL
# pattern filled from the demo (forbidden ones too), two URLs per route.
EVERYTHING = Scope(only=("",), per_route=2, seed_roles=tuple(ROLES))
# Later states change rounds and scans only: the round, scan, results, export and import pages
# (and the home page) are crawled again, every login following links, staff also visiting
# every filled pattern (so every round's pages); forbidden URLs were already tried in the
# first state. Extend with new prefixes.
ROUND_ROUTES = Scope(
    only=("meetrondes/", "zelfscan/", "resultaten/", "exports/", "beheer/importeren/"),
    per_route=2,
    seed_roles=("staff",),
)

STATES: list[tuple[str, Callable[[], Extra], Scope]] = [
    ("demo: 0-meting published, 2025-2026 open", demo_open, EVERYTHING),
    ("a submitted scan reopened", scan_reopened, ROUND_ROUTES),
    ("next round in concept", next_round_concept, ROUND_ROUTES),
    ("next round open, nothing submitted", next_round_open_nothing_submitted, ROUND_ROUTES),
    ("2025-2026 closed", closed, ROUND_ROUTES),
    ("2025-2026 reopened with a reason", reopened, ROUND_ROUTES),
    ("a later round scheduled", scheduled, ROUND_ROUTES),
    ("2025-2026 closed again and published", published, ROUND_ROUTES),
]


class _Null:
    def write(self, _text: str) -> None:
        pass

    def flush(self) -> None:
        pass
