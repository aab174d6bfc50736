from typing import Any

import pytest
from django.utils import translation

from tests.factories import make_norm_version


@pytest.fixture
def version(db: Any):
    return make_norm_version(key="anbtest", themes=2, statements_per_theme=3)


@pytest.fixture(autouse=True)
def _dutch():
    """Messages are asserted in Dutch, whatever language an earlier test left active."""
    with translation.override("nl"):
        yield
