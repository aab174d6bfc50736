"""The Redis cache backend (selfscan.core.cache): Django's, with one redis-py client per pool.

Run against the machine's Redis (CI has one at 127.0.0.1:6379), in a database of its own."""

import os
import threading
from collections.abc import Iterator

import pytest
from django.core.cache.backends.redis import RedisCache

from selfscan.core.cache import SharedClientRedisCache
from tests.processes import run_project

LOCATION = os.environ.get("TEST_REDIS_CACHE_URL", "redis://127.0.0.1:6379/13")


@pytest.fixture
def cache() -> Iterator[SharedClientRedisCache]:
    backend = SharedClientRedisCache(LOCATION, {"KEY_PREFIX": "test-shared-client"})
    yield backend
    backend.clear()


def test_values_round_trip_like_djangos_backend(cache: SharedClientRedisCache) -> None:
    cache.set("questionnaire", {"codes": ["1", "2", "3", "4"]}, 60)
    cache.set_many({"a": 1, "b": "twee"}, 60)
    assert cache.get("questionnaire") == {"codes": ["1", "2", "3", "4"]}
    assert cache.get_many(["a", "b", "missing"]) == {"a": 1, "b": "twee"}
    assert cache.incr("a") == 2
    cache.delete("b")
    assert cache.get("b", "gone") == "gone"
    # What Django's own backend reads from the same Redis is the same.
    plain = RedisCache(LOCATION, {"KEY_PREFIX": "test-shared-client"})
    assert plain.get("questionnaire") == {"codes": ["1", "2", "3", "4"]}


def test_one_client_per_pool_shared_by_threads(cache: SharedClientRedisCache) -> None:
    first = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is first  # one server: one pool, one client
    seen = []

    def work(n: int) -> None:
        for i in range(50):
            cache.set(f"t{n}-{i}", i, 60)
            assert cache.get(f"t{n}-{i}") == i
        seen.append(cache._cache.get_client())

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 4 and all(client is first for client in seen)
    # Django's own backend builds a new client on every call: what this backend avoids.
    plain = RedisCache(LOCATION, {})
    assert plain._cache.get_client() is not plain._cache.get_client()


def test_settings_use_it_when_cache_url_is_set(tmp_path) -> None:
    code = (
        "from django.conf import settings; from django.core.cache import cache; "
        "cache.set('probe', 'ja', 5); "
        "print(settings.CACHES['default']['BACKEND'], settings.SESSION_ENGINE, cache.get('probe'))"
    )
    result = run_project(
        "manage.py",
        "shell",
        "--no-imports",
        "-c",
        code,
        CACHE_URL=LOCATION,
        SELFSCAN_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-3:] == [
        "selfscan.core.cache.SharedClientRedisCache",
        "django.contrib.sessions.backends.cached_db",
        "ja",
    ]
