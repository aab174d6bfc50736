"""`manage.py create_round (--file ronde.yaml | --name ... --opens-on ... --closes-on ... --po
anb:2025 ...) [--sector PO] [--bestuur 41001] [--wijk "Stad 1"] [--school 12AB00] [--dry-run]
[--as E-MAIL]`: create a round in concept, through the web page's form and `save_round`.

Invitations: no selection means every active school of the sectors with a norm version. A
selection combines kinds with "and" and values of one kind with "or": `--sector PO --wijk
"Stad 1" --wijk "Stad 2"` invites the PO schools of Stad 1 and Stad 2.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import QuerySet
from django.utils.formats import date_format

from selfscan.accounts import permissions as perms
from selfscan.core.commands import (
    DRY_RUN_NOTE,
    actor_from,
    add_actor_arguments,
    dry_run_atomic,
    find_bestuur,
    find_wijk,
    parse_date,
)
from selfscan.norms.models import NormVersion
from selfscan.organisations.models import School, Sector
from selfscan.rounds import services
from selfscan.rounds.forms import RoundForm
from selfscan.rounds.models import Round
from selfscan.rounds.roundfile import read_round_file

SECTORS = [value for value, _label in Sector.choices]
FIELD_NAMES = {
    "name": "naam",
    "opens_on": "opent op",
    "closes_on": "sluit op",
    "threshold_percent": "drempel",
    "reminder_days_before": "herinnering dagen vooraf",
    "version_po": "normversie PO",
    "version_vo": "normversie VO",
    "version_sv": "normversie SV",
    "invited_schools": "uitgenodigde scholen",
}


class Command(BaseCommand):
    help = "Maakt een meetronde in concept aan, uit een YAML-bestand of met opties."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, help="YAML-bestand met de meetronde")
        parser.add_argument("--name", help="naam van de meetronde")
        parser.add_argument("--opens-on", help="openingsdatum, JJJJ-MM-DD")
        parser.add_argument("--closes-on", help="sluitingsdatum (laatste invuldag), JJJJ-MM-DD")
        parser.add_argument("--threshold", type=int, default=85, help="drempel in %% (85)")
        parser.add_argument("--reminder-days", type=int, default=7, help="herinnering dagen vooraf")
        for sector in SECTORS:
            parser.add_argument(
                f"--{sector.lower()}", metavar="NORM:VERSIE", help=f"normversie voor {sector}"
            )
        parser.add_argument("--sector", action="append", default=[], help="alleen deze sector")
        parser.add_argument(
            "--bestuur", action="append", default=[], help="bevoegd gezag nummer of naam"
        )
        parser.add_argument("--wijk", action="append", default=[], help="naam van de wijk")
        parser.add_argument("--school", action="append", default=[], help="vestigingscode")
        add_actor_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        by = actor_from(options["as_email"], perms.can_manage_rounds, "meetrondes beheren")
        values = self._from_file(options) if options["file"] else self._from_options(options)
        invited = self._invited(values["invite"])
        form = RoundForm(
            data={
                "name": values["name"],
                "opens_on": values["opens_on"].isoformat(),
                "closes_on": values["closes_on"].isoformat(),
                "threshold_percent": values["threshold"],
                "reminder_days_before": values["reminder_days"],
                **{
                    f"version_{sector.lower()}": self._version(sector, values["versions"])
                    for sector in SECTORS
                },
                "invited_schools": [school.pk for school in invited],
            }
        )
        if not form.is_valid():
            lines = [
                f"{FIELD_NAMES.get(field, field) if field != '__all__' else 'ronde'}: {message}"
                for field, messages in form.errors.items()
                for message in messages
            ]
            raise CommandError("De meetronde is niet aangemaakt:\n  " + "\n  ".join(lines))
        data = {key: form.cleaned_data[key] for key in services.EDITABLE_FIELDS}
        summary: list[str] = []
        try:
            with dry_run_atomic(options["dry_run"]):
                round_ = services.save_round(round_=None, by=by, data=data, invited=invited)
                summary = self._summary(round_)
        except services.RoundError as error:
            raise CommandError(f"{error} Er is niets opgeslagen.") from None
        for line in summary:
            self.stdout.write(line)
        if options["dry_run"]:
            self.stdout.write(DRY_RUN_NOTE)
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Meetronde aangemaakt (id {round_.pk}), in concept.")
            )

    # --- input -------------------------------------------------------------------------------

    def _from_file(self, options: dict[str, Any]) -> dict[str, Any]:
        path: Path = options["file"]
        clashing = [
            f"--{name.replace('_', '-')}"
            for name in ("name", "opens_on", "closes_on", "po", "vo", "sv")
            if options[name]
        ] + [f"--{kind}" for kind in ("sector", "bestuur", "wijk", "school") if options[kind]]
        if clashing:
            raise CommandError(
                f"Gebruik --file óf opties, niet allebei (ook gegeven: {', '.join(clashing)})."
            )
        if not path.is_file():
            raise CommandError(f"Bestand niet gevonden: {path}")
        parsed = read_round_file(path.read_bytes(), path.name)
        if not parsed.ok or parsed.model is None:
            raise CommandError(
                "Het bestand bevat fouten; er is niets opgeslagen:\n  "
                + "\n  ".join(str(error) for error in parsed.errors)
            )
        model = parsed.model
        return {
            "name": model.naam,
            "opens_on": model.opent_op,
            "closes_on": model.sluit_op,
            "threshold": model.drempel,
            "reminder_days": model.herinnering_dagen_vooraf,
            "versions": model.versies.model_dump(),
            "invite": model.uitnodigen.model_dump(),
        }

    def _from_options(self, options: dict[str, Any]) -> dict[str, Any]:
        missing = [
            f"--{name.replace('_', '-')}"
            for name in ("name", "opens_on", "closes_on")
            if not options[name]
        ]
        if missing:
            raise CommandError(f"Geef {', '.join(missing)} op (of een YAML-bestand met --file).")
        return {
            "name": options["name"],
            "opens_on": parse_date(options["opens_on"], "--opens-on"),
            "closes_on": parse_date(options["closes_on"], "--closes-on"),
            "threshold": options["threshold"],
            "reminder_days": options["reminder_days"],
            "versions": {sector: options[sector.lower()] for sector in SECTORS},
            "invite": {
                "sectoren": options["sector"],
                "besturen": options["bestuur"],
                "wijken": options["wijk"],
                "scholen": options["school"],
            },
        }

    def _version(self, sector: str, versions: dict[str, str | None]) -> str:
        """The pk of `norm:label` (or of a plain id) as the form's value; empty when none."""
        value = (versions.get(sector) or "").strip()
        if not value:
            return ""
        if value.isdigit():
            found = NormVersion.objects.filter(pk=int(value))
        elif ":" in value:
            key, label = (part.strip() for part in value.split(":", 1))
            found = NormVersion.objects.filter(norm__key=key, label=label)
        else:
            raise CommandError(
                f"Normversie voor {sector}: '{value}' is onduidelijk; schrijf norm:versie, "
                "bijvoorbeeld anb:2025."
            )
        version = found.first()
        if version is None:
            raise CommandError(f"Normversie voor {sector}: '{value}' bestaat niet.")
        return str(version.pk)

    def _invited(self, invite: dict[str, list[str]]) -> list[School]:
        """The schools the selection names; an empty selection means the default (all)."""
        if not any(invite.values()):
            return []
        schools: QuerySet[School] = services.active_schools().order_by("sector", "name")
        if invite["sectoren"]:
            wrong = [s for s in invite["sectoren"] if s.upper() not in SECTORS]
            if wrong:
                raise CommandError(f"Onbekende sector '{wrong[0]}'; kies uit {', '.join(SECTORS)}.")
            schools = schools.filter(sector__in=[s.upper() for s in invite["sectoren"]])
        if invite["besturen"]:
            besturen = [find_bestuur(value) for value in invite["besturen"]]
            schools = schools.filter(bestuur__in=besturen)
        if invite["wijken"]:
            wijken = [find_wijk(value) for value in invite["wijken"]]
            schools = schools.filter(wijk__in=wijken)
        if invite["scholen"]:
            codes = [code.strip().upper() for code in invite["scholen"]]
            known = set(
                School.objects.filter(vestigingscode__in=codes).values_list(
                    "vestigingscode", flat=True
                )
            )
            unknown = [code for code in codes if code not in known]
            if unknown:
                raise CommandError(f"Onbekende vestigingscode: {', '.join(unknown)}.")
            schools = schools.filter(vestigingscode__in=codes)
        found = list(schools)
        if not found:
            raise CommandError(
                "Geen actieve school past bij deze selectie; er is niets opgeslagen."
            )
        return found

    # --- output ------------------------------------------------------------------------------

    def _summary(self, round_: Round) -> list[str]:
        invited = round_.invited_schools.values_list("sector", flat=True)
        per_sector = dict.fromkeys(services.sectors_of(round_), 0)
        for sector in invited:
            per_sector[sector] = per_sector.get(sector, 0) + 1
        return [
            f"Meetronde: {round_.name}",
            f"Opent op {date_format(round_.opens_on, 'DATE_FORMAT')}, sluit op "
            f"{date_format(round_.closes_on, 'DATE_FORMAT')}; drempel {round_.threshold_percent}%",
            *(
                f"  {sector}: {round_.version_for(sector)}, {count} scholen uitgenodigd"
                for sector, count in per_sector.items()
            ),
        ]
