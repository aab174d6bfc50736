"""`manage.py extend_round ROUND --closes-on JJJJ-MM-DD [--dry-run] [--as E-MAIL]`."""

from typing import Any

from django.core.management.base import CommandParser
from django.utils.formats import date_format

from selfscan.core.commands import parse_date
from selfscan.rounds import services
from selfscan.rounds.commandline import RoundStepCommand
from selfscan.rounds.models import Round


class Command(RoundStepCommand):
    help = "Verlengt een open meetronde: een latere sluitingsdatum."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--closes-on", required=True, help="nieuwe sluitingsdatum, JJJJ-MM-DD")

    def check_options(self, options: dict[str, Any]) -> None:
        options["closes_on"] = parse_date(options["closes_on"], "--closes-on")

    def step(self, round_: Round, by: Any, options: dict[str, Any]) -> str:
        services.extend_round(round_=round_, by=by, closes_on=options["closes_on"])
        day = date_format(options["closes_on"], "DATE_FORMAT")
        return f"Meetronde '{round_.name}' sluit nu op {day}."
