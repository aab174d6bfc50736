from collections.abc import Iterator

import pytest

from tests.celery_worker import forget_celery_caches
from tests.results.conftest import ten_schools  # noqa: F401 - the school report PDF job tests


@pytest.fixture(autouse=True)
def _fresh_celery_backend() -> Iterator[None]:
    """Celery caches its result backend; drop it so a later test's settings apply."""
    yield
    forget_celery_caches()
