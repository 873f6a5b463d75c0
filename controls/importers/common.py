"""What the importers share: reading the bytes, locating problems, the mapping report, and
turning the collected data into a catalogue validated by the same schema as our own YAML.

A foreign file is checked in two passes like a Kansa file: the importer collects every problem
it can see in the source (each with the line and the source's own field name), and the Kansa
data it builds is then validated by :class:`controls.schema.Catalogue`; an error there is
reported at the source element it came from. Nothing is returned unless both passes are clean.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from controls.importers.detect import MAX_FOREIGN_BYTES
from controls.loader import Loc, format_loc
from controls.model import LoadedCatalogue
from controls.schema import Catalogue
from core.errors import Issue, ValidationFailed

MAX_NODES = 10_000
MAX_TEXT = 20_000  # the schema's limit for one text

_ID_BAD = re.compile(r"[^A-Za-z0-9._()\-]+")
_URN = re.compile(r"^urn:[a-z0-9][a-z0-9-]{0,31}:[A-Za-z0-9()+,\-.:=@;$_!*'%/]+$")
_VERSION_BAD = re.compile(r"[^0-9A-Za-z._+-]+")


@dataclass(frozen=True, slots=True)
class MappingReport:
    """What an import took over from the source, and what it left behind."""

    source_format: str
    mapped: tuple[str, ...]
    dropped: tuple[str, ...]

    def lines(self) -> list[str]:
        return [f"mapped: {m}" for m in self.mapped] + [f"dropped: {d}" for d in self.dropped]


def decode(raw: bytes, file: str) -> str:
    """The file's text; refuses files over the size cap and bytes that are not UTF-8."""
    if len(raw) > MAX_FOREIGN_BYTES:
        raise ValidationFailed(
            [
                Issue(
                    file,
                    1,
                    "(file)",
                    f"file is {len(raw) / 1_048_576:.1f} MB; imported frameworks may be at most "
                    f"{MAX_FOREIGN_BYTES // 1_048_576} MB",
                )
            ]
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ValidationFailed(
            [
                Issue(
                    file,
                    line,
                    "(file)",
                    f"not valid UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as "
                    "UTF-8 and import it again",
                )
            ]
        ) from exc
    return text.removeprefix("\ufeff")


class Collector:
    """The problems and mapping notes of one import, located in the source file."""

    def __init__(self, file: str, lines: Callable[[], dict[Loc, int]]) -> None:
        self.file = file
        self._lines_of = lines
        self._lines: dict[Loc, int] | None = None
        self.issues: list[Issue] = []
        self.mapped: list[str] = []
        self.dropped: list[str] = []
        self.counts: Counter[str] = Counter()

    def line(self, loc: Loc) -> int:
        """The line of the deepest part of ``loc`` that the source has."""
        if self._lines is None:
            self._lines = self._lines_of()
        for end in range(len(loc), -1, -1):
            found = self._lines.get(tuple(loc[:end]))
            if found is not None:
                return found
        return 1

    def error(self, loc: Loc, message: str) -> None:
        self.issues.append(Issue(self.file, self.line(loc), format_loc(loc), message))

    def check(self) -> None:
        if self.issues:
            self.issues.sort(key=lambda i: (i.line, i.field))
            raise ValidationFailed(self.issues)

    def report(self, source_format: str) -> MappingReport:
        return MappingReport(source_format, tuple(self.mapped), tuple(self.dropped))


def too_many_nodes(collector: Collector, loc: Loc, count: int, what: str) -> None:
    collector.error(
        loc,
        f"{count:,} {what}: an imported framework may have at most {MAX_NODES:,} "
        "(split it, or import only the part you assess)",
    )
    collector.check()


def text_of(value: Any) -> str | None:
    """A non-empty text, or None (numbers become text: ref ids like 4.1 are often numbers)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        value = str(value)
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


class Texts:
    """Builds ``{en, ja}`` pairs from whatever languages a source has, counting the fallbacks."""

    def __init__(self, collector: Collector) -> None:
        self.collector = collector

    def pair(self, en: str | None, ja: str | None, other: str | None = None) -> dict[str, str]:
        c = self.collector.counts
        if en is None and ja is None:
            if other is None:
                raise ValueError("no text in any language")
            c["text.other_for_both"] += 1
            en = ja = other
        elif ja is None:
            c["text.ja_from_en"] += 1
            ja = en
        elif en is None:
            c["text.en_from_ja"] += 1
            en = ja
        assert en is not None  # noqa: S101 -- narrowed above
        assert ja is not None  # noqa: S101
        return {"en": self._cap(en), "ja": self._cap(ja)}

    def _cap(self, text: str) -> str:
        if len(text) > MAX_TEXT:
            self.collector.counts["text.shortened"] += 1
            return text[: MAX_TEXT - 1] + "…"
        return text

    def notes(self, other_name: str = "the source language") -> None:
        """Add the language fallbacks to the mapping report."""
        c, mapped = self.collector.counts, self.collector.mapped
        if c["text.ja_from_en"]:
            mapped.append(
                f"{c['text.ja_from_en']} texts have no Japanese in the source: the English text "
                "is used for Japanese too (translate them in a later version)"
            )
        if c["text.en_from_ja"]:
            mapped.append(
                f"{c['text.en_from_ja']} texts have no English in the source: the Japanese text "
                "is used for English too"
            )
        if c["text.other_for_both"]:
            mapped.append(
                f"{c['text.other_for_both']} texts exist only in {other_name}: used for both "
                "Japanese and English"
            )
        if c["text.shortened"]:
            mapped.append(
                f"{c['text.shortened']} texts longer than {MAX_TEXT:,} characters were shortened"
            )


def identifier(raw: str | None) -> str | None:
    """A Kansa id from a foreign reference id: disallowed characters become ``-``."""
    if raw is None:
        return None
    cleaned = _ID_BAD.sub("-", raw.strip())
    cleaned = re.sub(r"^[^A-Za-z0-9]+", "", cleaned)[:64].rstrip("-")
    return cleaned or None


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] or "unnamed"


def urn_or_derived(raw: str | None, fallback_name: str, scheme: str, collector: Collector) -> str:
    if raw is not None and _URN.match(raw):
        return raw
    derived = f"urn:kansa:{scheme}:{slug(fallback_name)}"
    collector.mapped.append(f"catalogue URN {derived} (derived from the name)")
    return derived


def version_of(raw: str | None, collector: Collector) -> str:
    text = _VERSION_BAD.sub("-", raw or "").strip("-._+")[:32]
    if not text:
        collector.mapped.append("no version in the source: stored as version 1")
        return "1"
    if text != raw:
        collector.mapped.append(f"version {raw!r} stored as {text!r}")
    return text


PLACEHOLDER_GUIDANCE = {
    "en": ["No example methods are given in the source framework."],
    "ja": ["出典のフレームワークには実施例の記載がありません。"],
}
PLACEHOLDER_HINTS = {
    "en": ["No evidence examples are given in the source framework."],
    "ja": ["出典のフレームワークには証跡例の記載がありません。"],
}


def lines_list(text: str | None) -> list[str]:
    """A text split into its non-empty lines (guidance and evidence lists)."""
    if not text:
        return []
    return [line.strip(" -•\t") for line in text.splitlines() if line.strip(" -•\t")]


def dropped_keys(collector: Collector, counts: Counter[str], what: str) -> None:
    for key, n in sorted(counts.items()):
        collector.dropped.append(f"{key} on {n} {what}{'' if n == 1 else 's'}")


def _message(err: Any) -> str:
    if err["type"] == "missing":
        return "required field is missing"
    return str(err["msg"])


def validate(
    data: dict[str, Any],
    origin: dict[Loc, Loc],
    collector: Collector,
    raw: bytes,
) -> LoadedCatalogue:
    """Validate the built catalogue data; errors point at the source element they came from."""
    try:
        catalogue = Catalogue.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc: Loc = tuple(err["loc"])
            source: Loc = ()
            rest: Loc = loc
            for end in range(len(loc), -1, -1):
                if loc[:end] in origin:
                    source, rest = origin[loc[:end]], loc[end:]
                    break
            where = f"{format_loc(rest)}: " if rest else ""
            collector.error(source, f"{where}{_message(err)}")
        collector.check()
        raise  # pragma: no cover - check() raised
    collector.check()
    return LoadedCatalogue(catalogue, hashlib.sha256(raw).hexdigest(), collector.file)


def duplicates(
    collector: Collector, items: Iterable[tuple[str, str, Loc]], what: str, field: str
) -> None:
    """Report ids given to more than one item: (kansa id, source id, source loc)."""
    first: dict[str, tuple[str, Loc]] = {}
    for kansa_id, source_id, loc in items:
        if kansa_id in first:
            other_id, other_loc = first[kansa_id]
            same = "" if other_id == source_id else f" (from {other_id!r} and {source_id!r})"
            collector.error(
                (*loc, field),
                f"duplicate {what} {kansa_id!r}{same}: also line {collector.line(other_loc)}",
            )
        else:
            first[kansa_id] = (source_id, loc)
