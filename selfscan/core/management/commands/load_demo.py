"""Load the demo (norms, fictional register, rounds, answers, surveys) idempotently."""

import importlib
import importlib.util
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from selfscan.core.demo import DEMO_MODULES, DEMO_PASSWORD, DemoLogin


class Command(BaseCommand):
    help = "Laadt de demo-gegevens (kan vaker draaien: bestaande gegevens blijven staan)."

    def handle(self, *args: Any, **options: Any) -> None:
        logins: list[DemoLogin] = []
        for name in DEMO_MODULES:
            if importlib.util.find_spec(name) is None:
                continue
            module = importlib.import_module(name)
            with transaction.atomic():
                logins.extend(module.load(lambda line: self.stdout.write(f"  {line}")))
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"Demo-logins (wachtwoord voor allemaal: {DEMO_PASSWORD})")
        )
        width = max((len(login.email) for login in logins), default=20)
        for login in logins:
            self.stdout.write(f"  {login.role:<22} {login.email:<{width}}  {login.description}")
        self.stdout.write("")
