"""Register import timings: a DUO-style national file (8,000 rows, `;`, Windows-1252) of which
2,000 rows are in the chosen gemeente. Run: uv run python benchmarks/register_import.py

Uses a throw-away SQLite database (SELFSCAN_VAR_DIR in a temporary directory) unless
DATABASE_URL is set. Prints seconds for: dry run on an empty register, apply, dry run of the
same file again (no-op), apply of the same file again.
"""

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SELFSCAN_VAR_DIR", tempfile.mkdtemp(prefix="selfscan-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selfscan.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402

from selfscan.organisations.importer import plan_import  # noqa: E402
from selfscan.organisations.models import Bestuur, Stadsdeel, Wijk  # noqa: E402
from selfscan.organisations.services import apply_register_import  # noqa: E402

ROWS, LOCAL = 8000, 2000


def build() -> bytes:
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    lines = [
        "BEVOEGD GEZAG NUMMER;INSTELLINGSCODE;VESTIGINGSCODE;VESTIGINGSNAAM;POSTCODE;"
        "PLAATSNAAM;GEMEENTENAAM;SECTOR;WIJK"
    ]
    for n in range(ROWS):
        brin = f"{10 + n // 576 % 90:02d}{letters[n // 24 % 24]}{letters[n % 24]}"
        gemeente = "ALMERE" if n < LOCAL else "ELDERS"
        wijk = f"Wijk {n % 10}"
        lines.append(
            f"{50000 + n % 40};{brin};{brin}{n // 13824:02d};Basisschool Één {n};"
            f"1315 AA;ALMERE;{gemeente};PO;{wijk}"
        )
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def timed(label: str, fn: Any) -> Any:
    started = time.perf_counter()
    result = fn()
    print(f"{label:<34} {time.perf_counter() - started:6.2f} s")
    return result


def main() -> None:
    call_command("migrate", verbosity=0)
    stadsdeel, _ = Stadsdeel.objects.get_or_create(name="Bench")
    for i in range(10):
        Wijk.objects.get_or_create(name=f"Wijk {i}", defaults={"stadsdeel": stadsdeel})
    for i in range(40):
        Bestuur.objects.get_or_create(
            bevoegd_gezag_nummer=f"{50000 + i}", defaults={"name": f"B{i}"}
        )
    content = build()
    print(f"file: {ROWS} rows, {len(content) / 1e6:.2f} MB, {LOCAL} in the gemeente")
    plan = timed("dry run, empty register", lambda: plan_import(content, "duo.csv"))
    assert plan.ok and len(plan.creates) == LOCAL, plan.errors[:3]
    timed(
        "apply (creates + history + audit)",
        lambda: apply_register_import(content, "duo.csv", actor=None),
    )
    again = timed("dry run again (no-op)", lambda: plan_import(content, "duo.csv"))
    assert again.is_noop
    timed("apply again (no-op)", lambda: apply_register_import(content, "duo.csv", actor=None))


if __name__ == "__main__":
    main()
