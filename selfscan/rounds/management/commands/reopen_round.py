"""`manage.py reopen_round ROUND --closes-on JJJJ-MM-DD --reason TEXT [--dry-run] [--as E-MAIL]`."""

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.formats import date_format

from selfscan.core.commands import parse_date
from selfscan.rounds import services
from selfscan.rounds.commandline import RoundStepCommand
from selfscan.rounds.models import Round


class Command(RoundStepCommand):
    help = "Heropent een gesloten meetronde tot een nieuwe sluitingsdatum, met een reden."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--closes-on", required=True, help="nieuwe sluitingsdatum, JJJJ-MM-DD")
        parser.add_argument("--reason", required=True, help="waarom de ronde weer opengaat")

    def check_options(self, options: dict[str, Any]) -> None:
        options["closes_on"] = parse_date(options["closes_on"], "--closes-on")
        if not options["reason"].strip():
            raise CommandError("--reason: geef een reden op; die komt in het auditlog.")

    def step(self, round_: Round, by: Any, options: dict[str, Any]) -> str:
        services.reopen_round(
            round_=round_, by=by, closes_on=options["closes_on"], reason=options["reason"]
        )
        day = date_format(options["closes_on"], "DATE_FORMAT")
        return f"Meetronde '{round_.name}' is weer open tot en met {day}."
