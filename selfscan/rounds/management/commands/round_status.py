"""`manage.py round_status ROUND`: per sector invited, started and submitted, as a table."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.formats import date_format

from selfscan.rounds.commandline import find_round
from selfscan.rounds.status import SectorStatus, status_by_sector

HEADER = ("Sector", "Uitgenodigd", "Begonnen", "Ingediend", "Respons")


class Command(BaseCommand):
    help = "Toont per sector hoeveel scholen zijn uitgenodigd, begonnen en ingediend."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("round", help="id of naam van de meetronde")

    def handle(self, *args: Any, **options: Any) -> None:
        round_ = find_round(options["round"])
        self.stdout.write(
            f"{round_.name} ({round_.get_status_display().lower()}), "
            f"{date_format(round_.opens_on, 'DATE_FORMAT')} tot en met "
            f"{date_format(round_.closes_on, 'DATE_FORMAT')}"
        )
        rows = status_by_sector(round_)
        total = SectorStatus(
            "Totaal",
            sum(r.invited for r in rows),
            sum(r.started for r in rows),
            sum(r.submitted for r in rows),
        )
        cells = [HEADER] + [
            (r.sector, str(r.invited), str(r.started), str(r.submitted), f"{r.response_percent}%")
            for r in [*rows, total]
        ]
        widths = [max(len(row[i]) for row in cells) for i in range(len(HEADER))]
        for index, row in enumerate(cells):
            line = "  ".join(
                cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i])
                for i, cell in enumerate(row)
            )
            self.stdout.write(line.rstrip())
            if index == 0 or index == len(cells) - 2:
                self.stdout.write("  ".join("-" * w for w in widths))
        self.stdout.write("Begonnen: bezig of ingediend. Respons: ingediend van uitgenodigd.")
        if round_.status == round_.Status.DRAFT:
            self.stdout.write("De meetronde is nog niet geopend: er is nog niets begonnen.")
