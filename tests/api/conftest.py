from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from selfscan.api import services


@pytest.fixture(autouse=True)
def fresh_throttle() -> Iterator[None]:
    """The throttle counts in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


def token_client(user: Any, days: int = 30) -> Client:
    """A client that sends a new token of `user` in the Authorization header (no session)."""
    _token, text = services.create_token(user=user, name="test", days=days)
    return Client(HTTP_AUTHORIZATION=f"Bearer {text}")
