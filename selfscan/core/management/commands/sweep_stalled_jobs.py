"""`manage.py sweep_stalled_jobs [--minutes N]`: the sweeper of stalled background jobs by hand
(beat runs it every few minutes; docs/decisions/0170-enqueue-and-sweeper.md)."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from selfscan.core.sweeper import sweep


class Command(BaseCommand):
    help = (
        "Markeert exports en imports die wachten of bezig zijn maar te lang niet verder komen "
        "als mislukt, zodat de pagina opnieuw proberen aanbiedt."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--minutes",
            type=int,
            default=None,
            help=(
                "zonder teken van leven na zoveel minuten "
                f"(standaard {settings.JOB_STALLED_AFTER_MINUTES})"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        minutes = options["minutes"]
        if minutes is not None and minutes < 1:
            raise CommandError(_("--minutes moet 1 of meer zijn."))
        swept = sweep(after=timedelta(minutes=minutes) if minutes is not None else None)
        self.stdout.write(
            _("Als mislukt gemarkeerd: %(exports)s exports en %(imports)s imports.")
            % {"exports": swept.exports, "imports": swept.imports}
        )
