"""`manage.py load_norm PATH... [--dry-run]`: validate norm files and load them atomically."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from selfscan.norms.services import NormSource, describe, load_norm_files


class Command(BaseCommand):
    help = (
        "Controleert normbestanden (YAML) en laadt ze in één keer; bij een fout wordt niets "
        "geladen. Hetzelfde bestand opnieuw laden verandert niets."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PAD", help="normbestand(en) (.yaml)")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="alleen controleren en melden wat er zou gebeuren; niets opslaan",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sources = []
        for name in options["paths"]:
            path = Path(name)
            if not path.is_file():
                raise CommandError(_("%(name)s: bestand niet gevonden") % {"name": name})
            sources.append(NormSource(name=str(path), content=path.read_bytes()))
        dry_run = options["dry_run"]
        report = load_norm_files(sources, dry_run=dry_run)
        if report.errors:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("%(count)s fout(en) gevonden; er is niets geladen of veranderd.")
                % {"count": len(report.errors)}
            )
        for plan in report.plans:
            self.stdout.write(describe(plan, dry_run=dry_run))
        if dry_run:
            self.stdout.write(_("Proefrun (--dry-run): er is niets opgeslagen."))
