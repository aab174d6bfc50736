"""Shared pieces of the management commands for scripted operations (issue 14).

The commands only translate command-line input into a service call: the rules live in the
services and forms. Here: who acts (`--as`, or the system), reading a date, and
a dry run that runs the real service and then rolls everything back.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db import transaction
from django.db.models import Q

from selfscan.accounts.models import User
from selfscan.organisations.models import Bestuur, School, Wijk


class _RolledBack(Exception):
    """Raised at the end of a dry run to undo the transaction."""


@contextmanager
def dry_run_atomic(dry_run: bool) -> Iterator[None]:
    """Run the block in a transaction; on a dry run roll it back at the end.

    The service runs exactly as it would, with every check; callbacks registered with
    `transaction.on_commit` (e-mails, background jobs) never run on a dry run."""
    try:
        with transaction.atomic():
            yield
            if dry_run:
                raise _RolledBack
    except _RolledBack:
        pass


def add_actor_arguments(parser: CommandParser) -> None:
    parser.add_argument(
        "--as",
        dest="as_email",
        metavar="E-MAIL",
        help="e-mailadres van de medewerker namens wie het commando werkt (standaard: systeem)",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="laten zien wat er gebeurt, zonder iets op te slaan"
    )


def actor_from(email: str | None, may: Callable[[Any], bool], what: str) -> User | None:
    """The user named by `--as`, who must be active and allowed by `may` (a rule of
    `selfscan.accounts.permissions`); without `--as`, None: the audit log says "systeem"."""
    if not email:
        return None
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None or not user.is_active:
        raise CommandError(f"Geen actieve gebruiker met e-mailadres {email}.")
    if not may(user):
        raise CommandError(f"{user.email} mag geen {what}.")
    return user


def parse_date(value: str, option: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        raise CommandError(
            f"{option}: '{value}' is geen geldige datum; schrijf JJJJ-MM-DD, bijvoorbeeld "
            "2027-03-31."
        ) from None


DRY_RUN_NOTE = "Proefrun: er is niets opgeslagen. Laat --dry-run weg om het echt te doen."


def find_bestuur(value: str) -> Bestuur:
    """A bestuur by bevoegd gezag nummer or exact name (case-insensitive)."""
    value = value.strip()
    bestuur = Bestuur.objects.filter(Q(bevoegd_gezag_nummer=value) | Q(name__iexact=value)).first()
    if bestuur is None:
        raise CommandError(f"Onbekend bestuur '{value}' (bevoegd gezag nummer of naam).")
    return bestuur


def find_wijk(value: str) -> Wijk:
    wijk = Wijk.objects.filter(name__iexact=value.strip()).first()
    if wijk is None:
        raise CommandError(f"Onbekende wijk '{value}'.")
    return wijk


def find_school(value: str) -> School:
    """A school by vestigingscode, or by BRIN when that instelling has one vestiging."""
    code = value.strip().upper()
    if len(code) == 4:
        found = list(School.objects.filter(vestigingscode__startswith=code).order_by("pk")[:2])
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise CommandError(
                f"BRIN {code} heeft meer dan één vestiging; geef de vestigingscode "
                f"(bijvoorbeeld {found[0].vestigingscode})."
            )
    school = School.objects.filter(vestigingscode=code).first()
    if school is None:
        raise CommandError(f"Onbekende school '{value}' (vestigingscode of BRIN).")
    return school
