from typing import Any

import pytest

from tests.factories import make_norm_version


@pytest.fixture
def version(db: Any):
    return make_norm_version(key="anbtest", themes=2, statements_per_theme=3)
