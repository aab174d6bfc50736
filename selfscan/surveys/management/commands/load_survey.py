"""Load survey definitions from YAML files (see selfscan/surveys/examples/)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from selfscan.surveys.services import load_survey_file


class Command(BaseCommand):
    help = "Leest een of meer vragenlijsten in uit YAML-bestanden (alles of niets per bestand)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("files", nargs="+", help="YAML-bestanden")

    def handle(self, *args: Any, **options: Any) -> None:
        failed = 0
        for name in options["files"]:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"Bestand niet gevonden: {name}")
            result = load_survey_file(path.read_bytes(), filename=path.name)
            if result.survey is None:
                failed += 1
                for error in result.errors:
                    self.stderr.write(str(error))
                continue
            verb = "aangemaakt" if result.created else "bijgewerkt"
            self.stdout.write(
                self.style.SUCCESS(
                    f"{path.name}: vragenlijst '{result.survey.title}' {verb} "
                    f"({result.survey.questions.count()} vragen)."
                )
            )
        if failed:
            raise CommandError(f"{failed} bestand(en) niet ingelezen; er is niets opgeslagen.")
