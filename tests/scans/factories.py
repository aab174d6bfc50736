"""Rounds and scans for tests, built through the services (so they look like real ones)."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from selfscan.norms.models import NormVersion
from selfscan.rounds.models import Round
from selfscan.rounds.services import open_round
from selfscan.scans.models import Scan
from tests.factories import make_norm_version


def make_round(
    *,
    version: NormVersion,
    schools: list[Any],
    name: str = "Zelfscan test",
    opened: bool = True,
    closes_in_days: int = 30,
) -> Round:
    today = timezone.localdate()
    round_ = Round.objects.create(
        name=name,
        version_po=version,
        version_vo=version,
        version_sv=version,
        opens_on=today - timedelta(days=10),
        closes_on=today + timedelta(days=closes_in_days),
    )
    round_.invited_schools.set(schools)
    if opened:
        open_round(round_=round_, by=None)
    return round_


def world_round(world: Any) -> Round:
    """One open round with the world's three schools (created once per test database)."""
    existing = Round.objects.filter(name="Zelfscan wereld").first()
    if existing:
        return existing
    version = make_norm_version(key="wereld", themes=2, statements_per_theme=3)
    return make_round(
        version=version,
        schools=[world.school_a1, world.school_a2, world.school_b1],
        name="Zelfscan wereld",
    )


def world_scan(world: Any, school: Any = None) -> Scan:
    round_ = world_round(world)
    return Scan.objects.get(round=round_, school=school or world.school_a1)


def world_draft_round(world: Any) -> Round:
    existing = Round.objects.filter(name="Zelfscan concept").first()
    if existing:
        return existing
    version = make_norm_version(key="concept", themes=1, statements_per_theme=2)
    return make_round(
        version=version, schools=[world.school_a1], name="Zelfscan concept", opened=False
    )


def first_statement_id(scan: Scan) -> int:
    from selfscan.norms.models import Statement

    return (
        Statement.objects.filter(version=scan.norm_version)
        .order_by("pk")
        .values_list("pk", flat=True)[0]
    )
