"""A closed round over the `world` fixture (tests/conftest.py), for access and page tests."""

from typing import Any

from selfscan.norms.models import Theme
from selfscan.rounds.models import Round
from tests.factories import make_norm_version
from tests.results.factories import make_round, make_scan


def world_round(world: Any) -> Round:
    """Idempotent: one closed round with a submitted scan for each school of the world."""
    existing = Round.objects.filter(name="Wereldronde").first()
    if existing:
        return existing
    version = make_norm_version(key="wereld", label="v1", themes=2, statements_per_theme=3)
    round_ = make_round(version, name="Wereldronde")
    for school in (world.school_a1, world.school_a2, world.school_b1):
        make_scan(round_, school, {s.code: "3" for s in version.statements.all()})
    return round_


def world_theme(world: Any) -> Theme:
    return world_round(world).version_po.themes.order_by("order")[0]
