"""`manage.py open_round ROUND [--dry-run] [--as E-MAIL]`: open a round in concept."""

from typing import Any

from selfscan.rounds import services
from selfscan.rounds.commandline import RoundStepCommand
from selfscan.rounds.models import Round


class Command(RoundStepCommand):
    help = "Opent een meetronde in concept: elke uitgenodigde school krijgt haar zelfscan."

    def step(self, round_: Round, by: Any, options: dict[str, Any]) -> str:
        count = services.open_round(round_=round_, by=by)
        return f"Meetronde '{round_.name}' geopend: {count} zelfscans klaargezet."
