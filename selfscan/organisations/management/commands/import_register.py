"""manage.py import_register FILE [--apply] [--close-missing]: dry run by default, --apply to
write. Schools missing from the file are closed only with --close-missing."""

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from selfscan.accounts import permissions as perms
from selfscan.core.commands import actor_from
from selfscan.organisations.importer import Plan, describe, plan_import
from selfscan.organisations.services import ImportRefused, apply_register_import


class Command(BaseCommand):
    help = "Importeert het scholenregister uit een CSV- of XLSX-bestand (standaard een proefrun)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--apply", action="store_true", help="wijzigingen echt doorvoeren")
        parser.add_argument("--gemeente", default="Almere", help="alleen rijen van deze gemeente")
        parser.add_argument(
            "--close-missing",
            action="store_true",
            help="actieve scholen van de sectoren in het bestand die er niet in staan, sluiten",
        )
        parser.add_argument("--dry-run", action="store_true", help="proefrun (de standaard)")
        parser.add_argument(
            "--as",
            dest="as_email",
            metavar="E-MAIL",
            help="e-mailadres van de medewerker namens wie het commando werkt (standaard: systeem)",
        )
        # Older scripts passed --no-close; not closing is now the default, so it changes nothing.
        parser.add_argument("--no-close", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if options["close_missing"] and options["no_close"]:
            raise CommandError("Kies --close-missing of --no-close, niet allebei.")
        if options["apply"] and options["dry_run"]:
            raise CommandError("Kies --apply of --dry-run, niet allebei.")
        actor = actor_from(
            options["as_email"], perms.can_manage_register, "registerwijzigingen doorvoeren"
        )
        if not path.is_file():
            raise CommandError(f"Bestand niet gevonden: {path}")
        content = path.read_bytes()
        kwargs = {"gemeente": options["gemeente"], "close_missing": options["close_missing"]}
        if options["apply"]:
            try:
                plan = apply_register_import(content, path.name, actor=actor, **kwargs)
            except ImportRefused as refused:
                self._report(refused.plan)
                raise CommandError("Niets geïmporteerd: het bestand bevat fouten.") from None
            self._report(plan)
            self.stdout.write(self.style.SUCCESS("Doorgevoerd."))
            return
        plan = plan_import(content, path.name, **kwargs)
        self._report(plan)
        if not plan.ok:
            raise CommandError("Het bestand bevat fouten; er is niets geïmporteerd.")
        self.stdout.write("Proefrun: er is niets gewijzigd. Gebruik --apply om door te voeren.")

    def _report(self, plan: Plan) -> None:
        for error in plan.errors:
            self.stdout.write(f"FOUT {error}")
        for create in plan.creates:
            self.stdout.write(f"NIEUW {create.values['vestigingscode']} {create.values['name']}")
        for change in plan.changes:
            parts = ", ".join(
                f"{key}: {describe(old)} → {describe(new)}"
                for key, (old, new) in change.changes.items()
            )
            self.stdout.write(f"WIJZIGING {change.school.vestigingscode} {parts}")
        for school in plan.closes:
            self.stdout.write(f"SLUITEN {school.vestigingscode} {school.name}")
        if plan.missing and not plan.close_missing:
            self.stdout.write(
                f"Let op: {len(plan.missing)} actieve school/scholen van de sectoren in het "
                "bestand staan er niet in en blijven open. Gebruik --close-missing om ze te "
                "sluiten."
            )
        self.stdout.write(
            f"{len(plan.creates)} nieuw, {len(plan.changes)} gewijzigd, {len(plan.closes)} "
            f"gesloten, {plan.unchanged} ongewijzigd, {plan.skipped} overgeslagen (andere gemeente)"
        )
