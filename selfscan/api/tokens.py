"""Making and checking token strings (no database): `zs_` + prefix + secret, stored as SHA-256.

A random 256-bit secret needs no slow password hash: guessing is hopeless, and a fast hash keeps
every API request cheap (docs/decisions/0221-api-tokens.md)."""

import hashlib
import hmac
import secrets

TOKEN_START = "zs_"  # noqa: S105 (a marker, not a secret)
PREFIX_LENGTH = 8


def new_token() -> tuple[str, str, str]:
    """A new token: (the token to show once, its prefix, its hash to store)."""
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    token = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    return token, prefix, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def prefix_of(token: str) -> str | None:
    """The prefix of a well-formed token, else None."""
    if not token.startswith(TOKEN_START):
        return None
    prefix, _, secret = token[len(TOKEN_START) :].partition("_")
    if len(prefix) != PREFIX_LENGTH or not secret:
        return None
    return prefix


def same_hash(a: str, b: str) -> bool:
    return hmac.compare_digest(a, b)
