"""Load and validate catalogue YAML, reporting every problem with file, line and field.

Parsing composes the YAML node tree (libyaml when available) and builds plain Python values
ourselves, recording the line of every key and list item. That lets us refuse what
``yaml.safe_load`` would quietly accept -- duplicate keys (the last one silently wins) and
aliases (a few lines of ``&a``/``*a`` can expand to gigabytes) -- and lets every pydantic
error point at a line. Only the standard YAML tags are constructed: no Python objects.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from yaml.nodes import ScalarNode

from controls.model import LoadedCatalogue
from controls.schema import Catalogue
from core.errors import Issue, ValidationFailed
from core.settings import MAX_CATALOGUE_BYTES

Loc = tuple[str | int, ...]

_Loader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_SAFE_SCALARS = frozenset(
    f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")
)


def format_loc(loc: Iterable[str | int]) -> str:
    """``('domains', 0, 'controls', 2, 'title')`` -> ``domains[0].controls[2].title``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(file)"


class _Builder:
    """Builds Python values from the YAML event stream, remembering where each value stood.

    Working on events (not a composed node tree) means an alias is seen where it is written
    and is refused there, before anything could expand it.
    """

    def __init__(self, file: str) -> None:
        self.file = file
        self.lines: dict[Loc, int] = {}
        self.issues: list[Issue] = []
        self._resolver = yaml.resolver.Resolver()
        self._constructor = yaml.constructor.SafeConstructor()
        self._first_chars = frozenset(
            ch for ch in self._resolver.yaml_implicit_resolvers if ch is not None
        )
        self._next: Any = None

    def issue(self, line: int, loc: Loc, message: str) -> None:
        self.issues.append(Issue(self.file, line, format_loc(loc), message))

    def build(self, text: str) -> Any:
        loader = _Loader(text)
        try:
            self._next = loader.get_event
            root: Any = None
            documents = 0
            event: Any
            while (event := self._next()) is not None:
                if isinstance(event, yaml.DocumentStartEvent):
                    documents += 1
                    if documents > 1:
                        mark: Any = event.start_mark
                        self.issue(mark.line + 1, (), "a catalogue file holds one YAML document")
                        break
                    root = self._value(self._next(), ())
                elif isinstance(event, yaml.StreamEndEvent):
                    break
            return root
        finally:
            loader.dispose()

    def _value(self, event: Any, loc: Loc) -> Any:
        line = event.start_mark.line + 1
        self.lines.setdefault(loc, line)
        if isinstance(event, yaml.ScalarEvent):
            return self._scalar(event, loc)
        if isinstance(event, yaml.AliasEvent):
            self.issue(line, loc, "aliases (*name) are not allowed in catalogues")
            return None
        tag = event.tag
        if isinstance(event, yaml.MappingStartEvent):
            if tag not in (None, _MAP):
                self.issue(line, loc, f"tag {tag} is not allowed")
            return self._mapping(loc)
        if isinstance(event, yaml.SequenceStartEvent):
            if tag not in (None, _SEQ):
                self.issue(line, loc, f"tag {tag} is not allowed")
            items: list[Any] = []
            while not isinstance(item := self._next(), yaml.SequenceEndEvent):
                items.append(self._value(item, (*loc, len(items))))
            return items
        self.issue(line, loc, f"unexpected {type(event).__name__}")
        return None

    def _mapping(self, loc: Loc) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        while not isinstance(key_event := self._next(), yaml.MappingEndEvent):
            key_line = key_event.start_mark.line + 1
            key = key_event.value if isinstance(key_event, yaml.ScalarEvent) else None
            if key is None or key_event.tag not in (None, "!", _STR):
                self.issue(key_line, loc, "keys must be plain text")
                self._skip(key_event)
            elif key == "<<" and key_event.implicit[0]:
                self.issue(key_line, (*loc, key), "merge keys (<<) are not allowed in catalogues")
            elif key in result:
                self.issue(
                    key_line,
                    (*loc, key),
                    f"duplicate key (first defined on line {first_line[key]})",
                )
            else:
                first_line[key] = key_line
                self.lines[(*loc, key)] = key_line
                result[key] = self._value(self._next(), (*loc, key))
                continue
            self._skip(self._next())
        return result

    def _skip(self, event: Any) -> None:
        """Consume the events of a value that is refused anyway (reported once, by the caller)."""
        depth = 0
        while True:
            if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                depth += 1
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                depth -= 1
            if depth == 0:
                return
            event = self._next()

    def _scalar(self, event: Any, loc: Loc) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            value = event.value
            # Only plain scalars starting with one of the resolver's first characters can be
            # anything but text; skipping the resolver for the rest halves parse time.
            if not event.implicit[0] or not value or value[0] not in self._first_chars:
                return value
            tag = self._resolver.resolve(ScalarNode, value, event.implicit)  # type: ignore[no-untyped-call]
        if tag == _STR:
            return event.value
        if tag not in _SAFE_SCALARS:
            self.issue(event.start_mark.line + 1, loc, f"tag {tag} is not allowed")
            return None
        node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            return self._constructor.construct_object(node, deep=True)
        except ValueError:  # e.g. an integer of more digits than Python converts
            self.issue(
                event.start_mark.line + 1, loc, f"{event.value[:20]!r}… is not a usable value"
            )
            return None


def _line_of(lines: dict[Loc, int], loc: Loc) -> int:
    """The line of the deepest part of ``loc`` that exists in the file."""
    for end in range(len(loc), -1, -1):
        line = lines.get(tuple(loc[:end]))
        if line is not None:
            return line
    return 1


def _message(err: Any) -> str:
    kind = err["type"]
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown key (check the spelling; see the catalogue format in README)"
    msg = str(err["msg"])
    if kind == "string_type" and isinstance(err.get("input"), bool | int | float | date):
        msg += f" (got {err['input']!r}: put the text in quotes)"
    return msg


def _duplicate_ids(data: dict[str, Any]) -> list[tuple[Loc, str]]:
    """Duplicate domain and control ids, checked on the raw data so they are reported even
    when other fields fail validation."""
    problems: list[tuple[Loc, str]] = []
    seen_domains: dict[str, int] = {}
    seen_controls: dict[str, Loc] = {}
    domains = data.get("domains")
    for di, domain in enumerate(domains if isinstance(domains, list) else []):
        if not isinstance(domain, dict):
            continue
        domain_id = domain.get("id")
        if isinstance(domain_id, str):
            if domain_id in seen_domains:
                where = format_loc(("domains", seen_domains[domain_id]))
                problems.append(
                    (("domains", di, "id"), f"duplicate domain id {domain_id!r} (also {where})")
                )
            seen_domains.setdefault(domain_id, di)
        controls = domain.get("controls")
        for ci, control in enumerate(controls if isinstance(controls, list) else []):
            control_id = control.get("id") if isinstance(control, dict) else None
            if not isinstance(control_id, str):
                continue
            loc: Loc = ("domains", di, "controls", ci)
            if control_id in seen_controls:
                where = format_loc(seen_controls[control_id])
                problems.append(
                    ((*loc, "id"), f"duplicate control id {control_id!r} (also {where})")
                )
            seen_controls.setdefault(control_id, loc)
    return problems


def _too_large(file: str, size: int) -> ValidationFailed:
    return ValidationFailed(
        [
            Issue(
                file,
                1,
                "(file)",
                f"file is {size / 1_048_576:.1f} MB; catalogues may be at most "
                f"{MAX_CATALOGUE_BYTES // 1_048_576} MB",
            )
        ]
    )


def parse_catalogue(raw: bytes, file: str) -> Catalogue:
    """Validate catalogue bytes; raise ``ValidationFailed`` listing every problem."""
    # Building values allocates ~100k short-lived, acyclic objects for a 1,000-control file;
    # pausing the cyclic collector meanwhile saves about a fifth of the time.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _parse(raw, file)
    finally:
        if paused:
            gc.enable()


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n")
    return lines[line][column] if line < len(lines) and column < len(lines[line]) else ""


def _syntax_issue(exc: yaml.MarkedYAMLError, text: str, file: str) -> Issue:
    """Locate a YAML syntax error where the reader should look.

    For an unclosed bracket or quote the parser notices the problem later (often at the end
    of the file); the construct it was reading started at ``context_mark``, which is the line
    to fix.
    """
    problem = exc.problem or "YAML syntax error"
    mark, context = exc.problem_mark, exc.context_mark
    if mark is not None and _char_at(text, mark.line, mark.column) == "\t":
        return Issue(file, mark.line + 1, "(yaml)", "tab character: indent with spaces")
    if context is not None and mark is not None and context.line != mark.line and exc.context:
        return Issue(
            file,
            context.line + 1,
            "(yaml)",
            f"{problem} ({exc.context} that starts here; noticed on line {mark.line + 1})",
        )
    where = mark or context
    suffix = f" ({exc.context})" if exc.context else ""
    return Issue(file, where.line + 1 if where else 1, "(yaml)", problem + suffix)


def _build(text: str, file: str) -> tuple[Any, _Builder]:
    """Parse YAML text into plain values; syntax errors become a located ``ValidationFailed``."""
    builder = _Builder(file)
    try:
        data = builder.build(text)
    except yaml.MarkedYAMLError as exc:
        raise ValidationFailed([_syntax_issue(exc, text, file)]) from exc
    except yaml.reader.ReaderError as exc:
        # libyaml reports the byte offset of the offending character.
        line = text.encode("utf-8")[: exc.position].count(b"\n") + 1
        char = exc.character
        code = f" (#x{ord(char) if isinstance(char, str) else char:04x})" if char else ""
        raise ValidationFailed(
            [Issue(file, line, "(yaml)", f"control characters are not allowed{code}")]
        ) from exc
    except yaml.YAMLError as exc:
        raise ValidationFailed([Issue(file, 1, "(yaml)", str(exc).splitlines()[0])]) from exc
    except RecursionError as exc:
        raise ValidationFailed([Issue(file, 1, "(yaml)", "nesting is too deep")]) from exc
    return data, builder


def build_values(text: str, file: str) -> tuple[Any, dict[Loc, int], list[Issue]]:
    """Plain values of YAML text with the line of every key and item, and what was refused.

    The same safe reading as for catalogues (no aliases, merge keys, duplicate keys or
    non-standard tags), for the importers of other formats. Syntax errors raise
    ``ValidationFailed``; refused constructs come back as issues.
    """
    data, builder = _build(text, file)
    return data, builder.lines, list(builder.issues)


def _parse(raw: bytes, file: str) -> Catalogue:
    if len(raw) > MAX_CATALOGUE_BYTES:
        raise _too_large(file, len(raw))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ValidationFailed([Issue(file, line, "(file)", "not valid UTF-8 text")]) from exc
    data, builder = _build(text, file)
    if data is None and not builder.issues:
        raise ValidationFailed([Issue(file, 1, "(file)", "the file is empty")])
    issues = list(builder.issues)
    if not isinstance(data, dict):
        issues.append(
            Issue(
                file,
                builder.lines.get((), 1),
                "(file)",
                "a catalogue must be a mapping (urn, version, ...)",
            )
        )
        raise ValidationFailed(issues)

    catalogue: Catalogue | None = None
    try:
        catalogue = Catalogue.model_validate(data)
    except ValidationError as exc:
        already = {issue.field for issue in builder.issues}  # e.g. an alias already refused
        for err in exc.errors():
            loc: Loc = tuple(err["loc"])
            if format_loc(loc) in already:
                continue
            issues.append(Issue(file, _line_of(builder.lines, loc), format_loc(loc), _message(err)))
    for loc, message in _duplicate_ids(data):
        issues.append(Issue(file, _line_of(builder.lines, loc), format_loc(loc), message))
    if issues or catalogue is None:
        issues.sort(key=lambda i: (i.line, i.field))
        raise ValidationFailed(issues)
    return catalogue


def load_catalogue(path: Path | str, display_name: str | None = None) -> LoadedCatalogue:
    """Read and validate one catalogue file."""
    path = Path(path)
    file = display_name or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_CATALOGUE_BYTES:
            raise _too_large(file, size)  # before reading a huge file into memory
        raw = path.read_bytes()
    except OSError as exc:
        raise ValidationFailed([Issue(file, 1, "(file)", f"cannot read: {exc.strerror}")]) from exc
    catalogue = parse_catalogue(raw, file)
    return LoadedCatalogue(catalogue, hashlib.sha256(raw).hexdigest(), file)
