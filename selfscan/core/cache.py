"""Django's Redis cache backend, with one redis-py client per connection pool.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` object for every cache call.
Building one registers some 170 response callbacks in a case-insensitive dict: in the load
benchmark that was about 0.3 ms of CPU per cache call, and an autosave makes two (its session
and the questionnaire's stamp). A `redis.Redis` object holds no connection of its own (it takes
one from the pool per command) and is safe to share between threads, so this backend keeps one
per pool. Everything else is Django's backend unchanged.
"""

from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # django-stubs do not declare the backend's private members used here
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            # Two threads may both build one here; either is fine, the last one is kept.
            client = self._client(connection_pool=pool)  # type: ignore[attr-defined]
            self._clients[id(pool)] = client
        return client


class SharedClientRedisCache(RedisCache):
    """settings.CACHES' BACKEND when CACHE_URL is set (see the module's docstring)."""

    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
