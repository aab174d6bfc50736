"""`manage.py import_round --round <id or name> FILE [--apply | --dry-run] [--layout wide|long]`.

Without --apply it is a dry run: it prints per school what would be created, how many schools
are complete (and so submitted), incomplete (not submitted) or skipped, and the problems (the
first 200 in file order, and how many more). When no school would be submitted it says so.
With --apply it stores the file, but only when there is no problem at all.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from selfscan.accounts import permissions as perms
from selfscan.core.commands import actor_from
from selfscan.imports import services
from selfscan.imports.parsing import LAYOUTS
from selfscan.rounds.models import Round


class Command(BaseCommand):
    help = "Importeer resultaten van een eerdere ronde uit een CSV- of XLSX-bestand."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV- of XLSX-bestand")
        parser.add_argument("--round", required=True, help="id of naam van de ronde")
        parser.add_argument("--apply", action="store_true", help="opslaan (anders proefimport)")
        parser.add_argument("--dry-run", action="store_true", help="proefimport (de standaard)")
        parser.add_argument("--layout", choices=LAYOUTS, help="indeling (standaard: herkennen)")
        parser.add_argument(
            "--as", "--by", dest="by", help="e-mailadres van de medewerker die importeert"
        )
        parser.add_argument("--quiet-schools", action="store_true", help="geen tabel per school")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["apply"] and options["dry_run"]:
            raise CommandError("Kies --apply of --dry-run, niet allebei.")
        round = self._round(options["round"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Bestand niet gevonden: {path}")
        content = path.read_bytes()
        by = actor_from(options["by"], perms.can_manage_rounds, "resultaten importeren")
        if options["apply"]:
            try:
                report = services.apply_import(
                    round=round,
                    content=content,
                    file_name=path.name,
                    by=by,
                    layout=options["layout"],
                )
            except services.ImportRefused as refused:
                self._print(refused.report, options["quiet_schools"])
                raise CommandError(
                    f"Import geweigerd: {refused.report.problem_count} fout(en); er is niets "
                    "opgeslagen."
                ) from refused
            self._print(report, options["quiet_schools"])
            self.stdout.write(
                self.style.SUCCESS(
                    f"Geïmporteerd: {len(report.schools_to_import)} scholen "
                    f"({report.complete_count} volledig en ingediend, "
                    f"{report.incomplete_count} onvolledig), {report.answer_count} antwoorden."
                )
            )
            return
        report = services.check_import(
            round=round, content=content, file_name=path.name, layout=options["layout"]
        )
        self._print(report, options["quiet_schools"])
        if not report.ok:
            raise CommandError(
                f"Proefimport: {report.problem_count} fout(en). Verbeter het bestand; er is niets "
                "opgeslagen."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Proefimport zonder fouten: {len(report.schools_to_import)} scholen, "
                f"{report.answer_count} antwoorden. Voeg --apply toe om op te slaan."
            )
        )

    def _round(self, value: str) -> Round:
        rounds = Round.objects.filter(pk=int(value)) if value.isdigit() else Round.objects.none()
        if not rounds.exists():
            rounds = Round.objects.filter(name__iexact=value)
        if rounds.count() != 1:
            raise CommandError(f"Geen (eenduidige) ronde gevonden voor '{value}'.")
        return rounds.get()

    def _print(self, report: services.ImportReport, quiet: bool) -> None:
        self.stdout.write(
            f"Ronde: {report.round.name} · bestand: {report.file_name} · sha256 {report.sha256}"
        )
        if report.layout:
            layout = "breed" if report.layout == "wide" else "lang"
            detail = report.file_format.upper()
            if report.encoding:
                detail += f", {report.encoding}, scheidingsteken '{report.delimiter}'"
            self.stdout.write(f"Indeling: {layout} ({detail})")
        if not quiet:
            for plan in report.schools:
                if plan.has_problems:
                    state = "fout"
                elif plan.empty:
                    state = "overgeslagen"
                else:
                    state = "volledig" if plan.complete else "onvolledig"
                self.stdout.write(
                    f"  rij {plan.row:>5}  {plan.vestigingscode}  {plan.name[:40]:<40} "
                    f"{plan.answered:>3}/{plan.applicable:<3} {state}"
                )
        self.stdout.write(
            f"Scholen: {report.complete_count} volledig (worden ingediend), "
            f"{report.incomplete_count} onvolledig (niet ingediend), "
            f"{report.skipped_count} overgeslagen (geen antwoorden)."
        )
        for warning in report.warnings:
            prefix = "" if warning.startswith("Let op") else "Let op: "
            self.stdout.write(self.style.WARNING(f"{prefix}{warning}"))
        if report.warning_count > len(report.warnings):
            hidden = report.warning_count - len(report.warnings)
            self.stdout.write(self.style.WARNING(f"Let op: en nog {hidden} andere opmerkingen."))
        problems = report.problems
        for problem in problems:
            self.stderr.write(self.style.ERROR(f"Fout: {problem.message}"))
        if report.problem_count > len(problems):
            hidden = report.problem_count - len(problems)
            self.stderr.write(self.style.ERROR(f"En nog {hidden} andere fouten."))
