"""The key that signs session cookies: made on first start, kept in the data dir (0600)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from core.errors import StorageError


def load_or_create_secret(path: Path) -> str:
    """Read the signing key, creating it (readable by the owner only) if it does not exist."""
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read(path)  # another process made it first
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key)
        fh.flush()
        os.fsync(fh.fileno())
    return key


def _read(path: Path) -> str:
    if path.stat().st_mode & 0o077:
        raise StorageError(
            f"{path} is readable by other users; run `chmod 600 {path}` "
            "(it signs sign-in sessions)."
        )
    key = path.read_text(encoding="ascii").strip()
    if len(key) < 32:
        raise StorageError(f"{path} does not hold a usable key; delete it to make a new one.")
    return key
