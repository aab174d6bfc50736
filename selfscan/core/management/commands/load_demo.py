"""Load the demo (norms, fictional register, rounds, answers, surveys) idempotently."""

import importlib
import importlib.util
from typing import Any

from django.core import mail
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from selfscan.core.demo import DEMO_MODULES, DEMO_PASSWORD, DemoLogin


class Command(BaseCommand):
    help = "Laadt de demo-gegevens (kan vaker draaien: bestaande gegevens blijven staan)."

    def handle(self, *args: Any, **options: Any) -> None:
        logins: list[DemoLogin] = []
        # The demo's fictional people get no e-mail: opening the demo round would otherwise
        # print every invitation on the console, above the logins a newcomer looks for.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            for name in DEMO_MODULES:
                if importlib.util.find_spec(name) is None:
                    continue
                module = importlib.import_module(name)
                with transaction.atomic():
                    logins.extend(module.load(lambda line: self.stdout.write(f"  {line}")))
            unsent = len(getattr(mail, "outbox", []))
        if unsent:
            self.stdout.write(
                f"  {unsent} e-mails (uitnodigingen) niet verstuurd: dit is een demo."
            )
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"Demo-logins (wachtwoord voor allemaal: {DEMO_PASSWORD})")
        )
        width = max((len(login.email) for login in logins), default=20)
        for login in logins:
            self.stdout.write(f"  {login.role:<22} {login.email:<{width}}  {login.description}")
        self.stdout.write("")
