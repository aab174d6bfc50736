"""`manage.py invite_user E-MAIL --role ROLE [--school CODE] [--bestuur NUMMER] [--wijk NAAM]
[--first-name ..] [--last-name ..] [--resend] [--dry-run] [--as E-MAIL]`.

Creates an account without a password and e-mails an invitation, through the same form and
service as the staff page (so the same rules: a school team member needs a school, board staff a
bestuur, an adviser schools or wijken). `--resend` sends an existing account a new invitation.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from selfscan.accounts import permissions as perms
from selfscan.accounts import services
from selfscan.accounts.forms import InviteForm
from selfscan.accounts.models import Role, User
from selfscan.core.commands import (
    DRY_RUN_NOTE,
    actor_from,
    add_actor_arguments,
    dry_run_atomic,
    find_bestuur,
    find_school,
    find_wijk,
)

# The stored role values, and the Dutch words staff use for them.
ROLES = {
    **{value: value for value in Role.values},
    "schoolteam": Role.SCHOOL,
    "bestuur": Role.BOARD,
    "adviseur": Role.ADVISER,
    "swv": Role.STAFF,
    "samenwerkingsverband": Role.STAFF,
    "beheerder": Role.ADMIN,
}
FIELD_NAMES = {
    "email": "e-mailadres",
    "role": "--role",
    "schools": "--school",
    "besturen": "--bestuur",
    "wijken": "--wijk",
    "first_name": "--first-name",
    "last_name": "--last-name",
}


class Command(BaseCommand):
    help = "Maakt een account aan met een rol en bereik, en stuurt een uitnodiging per e-mail."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="e-mailadres van de nieuwe gebruiker")
        parser.add_argument(
            "--role",
            help="schoolteam, bestuur, adviseur, swv of beheerder "
            "(of school, board, adviser, staff, admin)",
        )
        parser.add_argument(
            "--school",
            action="append",
            default=[],
            help="vestigingscode (of BRIN met één vestiging)",
        )
        parser.add_argument(
            "--bestuur", action="append", default=[], help="bevoegd gezag nummer of naam"
        )
        parser.add_argument("--wijk", action="append", default=[], help="naam van de wijk")
        parser.add_argument("--first-name", default="", help="voornaam")
        parser.add_argument("--last-name", default="", help="achternaam")
        parser.add_argument(
            "--resend", action="store_true", help="bestaand account: stuur een nieuwe uitnodiging"
        )
        add_actor_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        actor = actor_from(options["as_email"], perms.can_manage_users, "gebruikers beheren")
        email = options["email"].strip().lower()
        if options["resend"]:
            self._resend(email, actor, options)
            return
        if not options["role"]:
            raise CommandError("Geef een rol op met --role (bijvoorbeeld --role schoolteam).")
        role = ROLES.get(options["role"].strip().lower())
        if role is None:
            raise CommandError(
                f"Onbekende rol '{options['role']}'; kies uit schoolteam, bestuur, adviseur, swv "
                "of beheerder."
            )
        form = InviteForm(
            data={
                "email": email,
                "role": role,
                "first_name": options["first_name"],
                "last_name": options["last_name"],
                "schools": [find_school(v).pk for v in options["school"]],
                "besturen": [find_bestuur(v).pk for v in options["bestuur"]],
                "wijken": [find_wijk(v).pk for v in options["wijk"]],
            },
            may_grant_admin=actor is None or perms.is_admin(actor),
        )
        if not form.is_valid():
            lines = [
                f"{FIELD_NAMES.get(field, 'gebruiker')}: {message}"
                for field, messages in form.errors.items()
                for message in messages
            ]
            if "email" in form.errors and User.objects.filter(email=email).exists():
                lines.append("Gebruik --resend om dit account opnieuw uit te nodigen.")
            raise CommandError("Er is niemand uitgenodigd:\n  " + "\n  ".join(lines))
        with dry_run_atomic(options["dry_run"]):
            user, _token = form.invite(actor=actor)
            scope = ", ".join(
                str(item)
                for name in ("schools", "besturen", "wijken")
                for item in getattr(user, name).all()
            )
        self.stdout.write(
            f"{user.email}: {user.get_role_display()}" + (f" ({scope})" if scope else "")
        )
        if options["dry_run"]:
            self.stdout.write(DRY_RUN_NOTE)
        else:
            self.stdout.write(self.style.SUCCESS(f"Uitnodiging verstuurd naar {user.email}."))

    def _resend(self, email: str, actor: Any, options: dict[str, Any]) -> None:
        given = [
            f"--{name.replace('_', '-')}"
            for name in ("role", "school", "bestuur", "wijk", "first_name", "last_name")
            if options[name]
        ]
        if given:
            raise CommandError(
                f"--resend stuurt alleen een nieuwe uitnodiging; laat {', '.join(given)} weg "
                "(rol en bereik wijzigt u op de pagina Gebruikers)."
            )
        target = User.objects.filter(email=email).first()
        if target is None:
            raise CommandError(f"Er is geen account met e-mailadres {email}.")
        if actor is not None and not perms.can_change_user(actor, target):
            raise CommandError(f"{actor.email} mag {email} niet opnieuw uitnodigen.")
        with dry_run_atomic(options["dry_run"]):
            services.create_invitation(user=target, actor=actor)
        if options["dry_run"]:
            self.stdout.write(f"{email}: een nieuwe uitnodiging zou worden verstuurd.")
            self.stdout.write(DRY_RUN_NOTE)
        else:
            self.stdout.write(self.style.SUCCESS(f"Nieuwe uitnodiging verstuurd naar {email}."))
