"""What a file really is, judged from its bytes (the name is only a hint for plain text)."""

from __future__ import annotations

import filetype

TEXT_TYPES = {".csv": "text/csv", ".txt": "text/plain", ".md": "text/plain"}


def sniff(head: bytes, name: str) -> str:
    """The media type of content starting with ``head``."""
    kind = filetype.guess(head)
    if kind is not None:
        return str(kind.mime)
    if b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # not just a character cut at the chunk end
                return "application/octet-stream"
        suffix = name[name.rfind(".") :].lower() if "." in name else ""
        return TEXT_TYPES.get(suffix, "text/plain")
    return "application/octet-stream"
