"""Objects for the access matrix and page tests: a closed round with a checked upload."""

from typing import Any

from selfscan.imports import jobs
from selfscan.imports.models import RoundImport
from tests.factories import make_norm_version
from tests.imports.factories import csv_bytes, make_round


def checked_import(world: Any, *, by: str = "staff") -> RoundImport:
    """A clean file for the world's schools, uploaded by `by`, checked (the job run as the worker
    would) and waiting for confirmation."""
    version = make_norm_version(key="matrix", themes=1, statements_per_theme=2)
    schools = [world.school_a1, world.school_a2]
    round = make_round(schools=schools, po=version, name="Matrixronde")
    rows = [["vestigingscode", "T01.01", "T01.02"]] + [
        [school.vestigingscode, "3", "Goed"] for school in schools
    ]
    upload = jobs.start_check(
        round=round, content=csv_bytes(rows), file_name="matrix.csv", by=world.user(by)
    )
    jobs.run_check(upload.pk)
    upload.refresh_from_db()
    assert upload.status == RoundImport.Status.CHECKED, upload.report
    return upload


def applied_import(world: Any) -> RoundImport:
    """The checked upload of `checked_import`, confirmed and applied."""
    upload = checked_import(world)
    assert jobs.confirm_import(upload, by=world.user("staff"), sha256=upload.sha256) == jobs.QUEUED
    jobs.run_apply(upload.pk)
    upload.refresh_from_db()
    assert upload.status == RoundImport.Status.APPLIED, upload.report
    return upload


def example_kwargs(world: Any) -> dict[str, Any]:
    version = make_norm_version(key="voorbeeld", themes=1, statements_per_theme=2)
    return {"version_pk": version.pk, "layout": "breed", "fmt": "xlsx"}
