"""JSON with the line of every key and array item, for error messages.

``json.loads`` is fast but forgets where things were; this walk over the same text records
``loc -> line`` and repeated keys. It runs only when an import has something to report (or to
check a file for repeated keys), so the usual import pays nothing for it.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import re
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any

from controls.loader import Loc
from core.errors import Issue, ValidationFailed

_WS = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null")


class _Walker:
    def __init__(self, text: str) -> None:
        self.text = text
        self.newlines = [m.start() for m in re.finditer("\n", text)]
        self.lines: dict[Loc, int] = {}
        self.repeated: list[tuple[Loc, int]] = []

    def line(self, pos: int) -> int:
        return bisect.bisect_left(self.newlines, pos) + 1

    def skip(self, pos: int) -> int:
        match = _WS.match(self.text, pos)
        return match.end() if match else pos

    def value(self, pos: int, loc: Loc) -> int:
        text = self.text
        pos = self.skip(pos)
        self.lines.setdefault(loc, self.line(pos))
        ch = text[pos]
        if ch == "{":
            pos = self.skip(pos + 1)
            if text[pos] == "}":
                return pos + 1
            while True:
                pos = self.skip(pos)
                key, end = scanstring(text, pos + 1)
                key_loc = (*loc, key)
                if key_loc in self.lines:
                    self.repeated.append((key_loc, self.line(pos)))
                self.lines[key_loc] = self.line(pos)
                pos = self.skip(end) + 1  # past ':'
                pos = self.skip(self.value(pos, key_loc))
                if text[pos] == ",":
                    pos += 1
                    continue
                return pos + 1  # past '}'
        if ch == "[":
            pos = self.skip(pos + 1)
            if text[pos] == "]":
                return pos + 1
            index = 0
            while True:
                pos = self.skip(self.value(pos, (*loc, index)))
                index += 1
                if text[pos] == ",":
                    pos += 1
                    continue
                return pos + 1
        if ch == '"':
            _, end = scanstring(text, pos + 1)
            return int(end)
        match = _SCALAR.match(text, pos)
        return match.end() if match else pos + 1


def json_lines(text: str) -> tuple[dict[Loc, int], list[tuple[Loc, int]]]:
    """``loc -> line`` of every value in valid JSON ``text``, and the keys given twice."""
    walker = _Walker(text)
    # The text was valid JSON already; a failure here only loses line numbers.
    with contextlib.suppress(RecursionError, IndexError, ValueError):
        walker.value(0, ())
    return walker.lines, walker.repeated


def load_json(text: str, file: str) -> tuple[Any, bool]:
    """Parse JSON; syntax errors become a located ``ValidationFailed``.

    Returns the value and whether some object repeats a key (``json.loads`` would silently
    keep the last one; the caller reports where).
    """
    repeated = False

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal repeated
        result = dict(items)
        if len(result) != len(items):
            repeated = True
        return result

    try:
        return json.loads(text, object_pairs_hook=pairs), repeated
    except json.JSONDecodeError as exc:
        raise ValidationFailed([Issue(file, exc.lineno, "(json)", exc.msg)]) from exc
    except RecursionError as exc:
        raise ValidationFailed([Issue(file, 1, "(json)", "nesting is too deep")]) from exc
