"""API tokens: random, shown once, stored only as a SHA-256 hash.

A token is 32 random bytes (256 bits), so a plain hash is enough to store it: there is nothing to
guess, and a stolen table of hashes opens nothing. Each request looks its hash up, so a revoked
token fails on the very next request."""

import hashlib
import secrets

PREFIX = "gs_"


def new_token() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
