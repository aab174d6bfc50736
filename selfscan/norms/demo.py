"""Demo: load the shipped ANB versions (norms/anb-2024.yaml, norms/anb-2025.yaml).

Idempotent through the loader: a second run reports the versions as unchanged.
"""

from pathlib import Path

from django.conf import settings

from selfscan.core.demo import DemoLogin, Log

from .services import NormSource, describe, load_norm_files

SHIPPED = ["anb-2024.yaml", "anb-2025.yaml"]


def shipped_sources() -> list[NormSource]:
    directory = Path(settings.BASE_DIR) / "norms"
    return [
        NormSource(name=f"norms/{name}", content=(directory / name).read_bytes())
        for name in SHIPPED
    ]


def load(log: Log) -> list[DemoLogin]:
    report = load_norm_files(shipped_sources())
    if report.errors:
        for error in report.errors:
            log(str(error))
        raise RuntimeError("de meegeleverde normbestanden bevatten fouten")
    for plan in report.plans:
        log(describe(plan))
    return []
