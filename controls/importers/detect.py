"""Which catalogue format a file is in, told from its content (not its name)."""

from __future__ import annotations

import re
from typing import Literal

Format = Literal["kansa", "ciso", "oscal"]
FORMATS: tuple[Format, ...] = ("kansa", "ciso", "oscal")
FORMAT_NAMES: dict[Format, str] = {
    "kansa": "Kansa catalogue",
    "ciso": "CISO Assistant library",
    "oscal": "OSCAL catalog",
}
_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:", re.MULTILINE)
_JSON_CATALOG = re.compile(r'^\{\s*(?:"\$schema"\s*:\s*"[^"]*"\s*,\s*)?"catalog"\s*:')
_HEAD = 256 * 1024
# Foreign frameworks are larger than ours (NIST SP 800-53 as OSCAL JSON is ~10 MB), but a
# cap keeps a hostile or mistaken file from tying up the server.
MAX_FOREIGN_BYTES = 16 * 1024 * 1024


def detect_format(raw: bytes) -> Format | None:
    """The format of ``raw``, judged from its first keys; None when it is none of ours."""
    head = raw[:_HEAD].decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if head.startswith("{"):
        return "oscal" if _JSON_CATALOG.match(head) else None
    keys = set(_TOP_KEY.findall(head))
    if "objects" in keys:
        return "ciso"
    if "catalog" in keys:
        return "oscal"
    if "domains" in keys or {"urn", "scale"} <= keys:
        return "kansa"
    return None
