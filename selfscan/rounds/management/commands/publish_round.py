"""`manage.py publish_round ROUND [--dry-run] [--as E-MAIL]`: publish a closed round."""

from typing import Any

from selfscan.rounds import services
from selfscan.rounds.commandline import RoundStepCommand
from selfscan.rounds.models import Round


class Command(RoundStepCommand):
    help = "Publiceert de resultaten van een gesloten meetronde."

    def step(self, round_: Round, by: Any, options: dict[str, Any]) -> str:
        services.publish_round(round_=round_, by=by)
        return f"Meetronde '{round_.name}' gepubliceerd."
