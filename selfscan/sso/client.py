"""The Authlib OpenID Connect client of each configured provider (docs/decisions/0225).

Authlib fetches the provider's discovery document and keys, keeps `state`, `nonce` and the
PKCE verifier in the session, exchanges the code and validates the ID token (signature, issuer,
audience, expiry, nonce). Clients are cached per configuration, so a test that changes the
settings gets a fresh one.
"""

from functools import lru_cache
from typing import Any

from authlib.integrations.django_client import OAuth

from .services import Provider

TIMEOUT_SECONDS = 10


@lru_cache(maxsize=16)
def client_for(provider: Provider) -> Any:
    oauth = OAuth()
    return oauth.register(
        name=provider.slug,
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        server_metadata_url=provider.metadata_url,
        client_kwargs={
            "scope": "openid email profile",
            "code_challenge_method": "S256",
            "default_timeout": TIMEOUT_SECONDS,
        },
    )
