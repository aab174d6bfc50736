"""Load survey definitions from YAML files (see selfscan/surveys/examples/)."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from selfscan.surveys.selectors import public_url
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
            survey = result.survey
            verb = "aangemaakt" if result.created else "bijgewerkt"
            self.stdout.write(
                self.style.SUCCESS(
                    f"{path.name}: vragenlijst '{survey.title}' {verb} "
                    f"({survey.questions.count()} vragen)."
                )
            )
            self.stdout.write(f"  id: {survey.pk}")
            self.stdout.write(f"  openbare link: {public_url(survey)}")
            self.stdout.write(
                f"  beheer: {settings.SITE_URL}{reverse('surveys:detail', args=[survey.pk])}"
            )
        if failed:
            raise CommandError(f"{failed} bestand(en) niet ingelezen; er is niets opgeslagen.")
