"""Objects for the access matrix and page tests: a closed round with a checked upload."""

from typing import Any

from selfscan.imports import services
from selfscan.imports.models import RoundImport
from tests.factories import make_norm_version
from tests.imports.factories import csv_bytes, make_round


def checked_import(world: Any) -> RoundImport:
    """A clean file for the world's schools, checked and waiting for confirmation."""
    version = make_norm_version(key="matrix", themes=1, statements_per_theme=2)
    schools = [world.school_a1, world.school_a2]
    round = make_round(schools=schools, po=version, name="Matrixronde")
    rows = [["vestigingscode", "T01.01", "T01.02"]] + [
        [school.vestigingscode, "3", "Goed"] for school in schools
    ]
    report = services.check_upload(
        round=round, content=csv_bytes(rows), file_name="matrix.csv", by=None
    )
    assert report.record is not None, [p.message for p in report.problems]
    return report.record


def example_kwargs(world: Any) -> dict[str, Any]:
    version = make_norm_version(key="voorbeeld", themes=1, statements_per_theme=2)
    return {"version_pk": version.pk, "layout": "breed", "fmt": "xlsx"}
