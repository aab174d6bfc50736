"""`manage.py delete_old_exports [--days N] [--dry-run]`: the daily export clean-up by hand."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from selfscan.exports.services import delete_old_jobs


class Command(BaseCommand):
    help = (
        "Verwijdert klaar zijnde exports ouder dan EXPORT_RETENTION_DAYS dagen (of --days), en "
        "mislukte of vastgelopen exports van meer dan een dag oud."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"bewaartermijn in dagen (standaard {settings.EXPORT_RETENTION_DAYS})",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="alleen tellen wat er weg zou gaan"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"]
        if days is not None and days < 1:
            raise CommandError(_("--days moet 1 of meer zijn."))
        result = delete_old_jobs(keep_days=days, dry_run=options["dry_run"])
        values = {"done": result.done, "failed": result.failed, "stuck": result.stuck}
        if options["dry_run"]:
            line = _(
                "Proefrun: %(done)s klare, %(failed)s mislukte en %(stuck)s vastgelopen exports "
                "zouden worden verwijderd."
            )
        else:
            line = _(
                "Verwijderd: %(done)s klare, %(failed)s mislukte en %(stuck)s vastgelopen exports."
            )
        self.stdout.write(line % values)
