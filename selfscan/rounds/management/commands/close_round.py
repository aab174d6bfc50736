"""`manage.py close_round ROUND [--dry-run] [--as E-MAIL]`: close an open round."""

from typing import Any

from selfscan.rounds import services
from selfscan.rounds.commandline import RoundStepCommand
from selfscan.rounds.models import Round


class Command(RoundStepCommand):
    help = "Sluit een open meetronde: scholen kunnen hun zelfscan niet meer wijzigen."

    def step(self, round_: Round, by: Any, options: dict[str, Any]) -> str:
        services.close_round(round_=round_, by=by)
        return f"Meetronde '{round_.name}' gesloten."
