"""Password hashing (argon2id) and the password policy."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12

# argon2-cffi's defaults are RFC 9106's low-memory profile: argon2id, 3 passes, 64 MiB,
# 4 lanes -- about 145 ms per hash on the 2-core reference machine (benchmarks/bench_auth.py),
# inside the 500 ms sign-in budget while costing an attacker 64 MiB per guess.
_HASHER = PasswordHasher()
# Verified when the username is unknown, so both cases take the same time.
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True if ``password`` matches; always spends one full hash computation."""
    try:
        return _HASHER.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def policy_problems(username: str, password: str) -> list[str]:
    """Why ``password`` is not acceptable for ``username`` (empty list: acceptable)."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"a password needs at least {MIN_LENGTH} characters")
    if password.strip().casefold() == username.strip().casefold():
        problems.append("a password may not be the username")
    if len(password) > 1024:
        problems.append("a password may have at most 1024 characters")
    return problems


def generate_password() -> str:
    """A random password to show once (about 96 bits)."""
    return secrets.token_urlsafe(12)
