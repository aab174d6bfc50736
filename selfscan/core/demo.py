"""Demo data for `make demo`, loaded idempotently by `manage.py load_demo`.

Each app that has demo data provides `selfscan/<app>/demo.py` with
`load(log: Callable[[str], None]) -> list[DemoLogin]`; they run in DEMO_MODULES order.
"""

from collections.abc import Callable
from dataclasses import dataclass

DEMO_PASSWORD = "demo-zelfscan-2025"  # noqa: S105 - printed for the demo, never used in production

# Order matters: norms and the register before rounds, rounds before scans.
DEMO_MODULES = [
    "selfscan.accounts.demo",
    "selfscan.norms.demo",
    "selfscan.organisations.demo",
    "selfscan.rounds.demo",
    "selfscan.perspectives.demo",
    "selfscan.surveys.demo",
    "selfscan.plans.demo",
]


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    description: str


Log = Callable[[str], None]
