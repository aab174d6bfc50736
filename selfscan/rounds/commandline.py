"""What the round commands share: finding a round, and one shape for a life-cycle step
(open, close, extend, reopen, publish) that calls its service with an actor, or as a dry run."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from selfscan.accounts import permissions as perms
from selfscan.core.commands import DRY_RUN_NOTE, actor_from, add_actor_arguments, dry_run_atomic

from .models import Round
from .services import RoundError


def find_round(value: str) -> Round:
    """A round by id or by its exact name (case-insensitive)."""
    value = (value or "").strip()
    rounds = Round.objects.filter(pk=int(value)) if value.isdigit() else Round.objects.none()
    if not rounds.exists():
        rounds = Round.objects.filter(name__iexact=value)
    count = rounds.count()
    if count == 0:
        raise CommandError(f"Geen meetronde gevonden met id of naam '{value}'.")
    if count > 1:
        raise CommandError(f"Meer dan één meetronde heet '{value}'; gebruik het id.")
    return rounds.get()


class RoundStepCommand(BaseCommand):
    """`manage.py <step> ROUND [--dry-run] [--as E-MAIL]`: subclasses name the step and call
    its service in `step`, returning the sentence to print."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("round", help="id of naam van de meetronde")
        add_actor_arguments(parser)

    def check_options(self, options: dict[str, Any]) -> None:
        """Parse and check the step's own options before anything is written."""

    def step(self, round_: Round, by: Any, options: dict[str, Any]) -> str:
        raise NotImplementedError

    def handle(self, *args: Any, **options: Any) -> None:
        by = actor_from(options["as_email"], perms.can_manage_rounds, "meetrondes beheren")
        round_ = find_round(options["round"])
        self.check_options(options)
        message = ""
        try:
            with dry_run_atomic(options["dry_run"]):
                message = self.step(round_, by, options)
        except RoundError as error:
            raise CommandError(f"{error} Er is niets gewijzigd.") from None
        self.stdout.write(self.style.SUCCESS(message))
        if options["dry_run"]:
            self.stdout.write(DRY_RUN_NOTE)
