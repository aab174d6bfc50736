from typing import Any

import pytest

from selfscan.norms.models import Statement
from selfscan.scans.models import Scan
from tests.factories import make_norm_version
from tests.scans.factories import make_round


@pytest.fixture
def version(db: Any):
    return make_norm_version(key="anbtest", themes=3, statements_per_theme=4, nvt_every=4)


@pytest.fixture
def scan(world: Any, version: Any) -> Scan:
    round_ = make_round(version=version, schools=[world.school_a1, world.school_b1])
    return Scan.objects.get(round=round_, school=world.school_a1)


@pytest.fixture
def statements(version: Any) -> list[Statement]:
    return list(Statement.objects.filter(version=version).order_by("theme__order", "order"))


@pytest.fixture
def school_user(world: Any):
    return world.user("school")
