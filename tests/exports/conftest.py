import contextlib
from collections.abc import Iterator

import pytest

from selfscan.celery import app


def forget_backend() -> None:
    """Celery caches its result backend per thread; drop it so a later test's settings apply."""
    with contextlib.suppress(AttributeError):
        del app._local.backend


@pytest.fixture(autouse=True)
def _fresh_celery_backend() -> Iterator[None]:
    yield
    forget_backend()
