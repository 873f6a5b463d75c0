"""NIST OSCAL catalogs (JSON, or the equivalent YAML) as Kansa catalogues.

``catalog → groups → controls`` maps onto Kansa's two levels:

- each top-level group becomes a domain; groups nested inside it are flattened into it;
- every control, and every control nested in a control (enhancements such as ``ac-2.1``),
  becomes a control of that domain in document order; controls outside any group go to one
  extra domain;
- the control id is its ``label`` prop where that is a valid Kansa id (``AC-2(1)``), else
  its OSCAL ``id``;
- the ``statement`` part (with its item labels and nested parts) becomes the requirement,
  parameters inserted as ``[Assignment: …]`` / ``[Selection: …]`` or their set values; the
  ``guidance`` part becomes the example methods;
- withdrawn controls (``status`` prop), other parts (assessment objectives, methods, ...),
  other props, links and back-matter are dropped and counted in the report;
- OSCAL has no Japanese text: English is used for both languages (reported).

The URN is derived from the catalog title (a new NIST release has a new ``uuid`` but keeps its
title, so versions of the same catalogue line up); ``metadata.version`` is the version.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from controls.importers.common import (
    MAX_NODES,
    PLACEHOLDER_GUIDANCE,
    PLACEHOLDER_HINTS,
    Collector,
    MappingReport,
    Texts,
    decode,
    dropped_keys,
    duplicates,
    identifier,
    lines_list,
    text_of,
    too_many_nodes,
    urn_or_derived,
    validate,
    version_of,
)
from controls.importers.json_lines import json_lines, load_json
from controls.loader import Loc, build_values, format_loc
from controls.model import LoadedCatalogue
from core.errors import Issue

FORMAT_NAME = "OSCAL catalog"
CATALOG: Loc = ("catalog",)
_INSERT = re.compile(r"\{\{\s*insert:\s*param,\s*([^\s}]+)\s*\}\}")
_KEPT_PROPS = frozenset({"label", "sort-id", "status"})
_CONTROL_KEYS = frozenset({"id", "class", "title", "params", "props", "parts", "controls"})
OTHER_DOMAIN = "GENERAL"


def _read(raw: bytes, file: str) -> tuple[Any, Collector]:
    text = decode(raw, file)
    if text.lstrip().startswith(("{", "[")):
        data, repeated = load_json(text, file)
        c = Collector(file, lambda: json_lines(text)[0])
        if repeated:
            for loc, line in json_lines(text)[1]:
                c.issues.append(
                    Issue(file, line, format_loc(loc), "duplicate key (only one may be given)")
                )
        return data, c
    data, lines, refused = build_values(text, file)
    c = Collector(file, lambda: lines)
    c.issues.extend(refused)
    return data, c


def _prop(element: dict[str, Any], name: str) -> str | None:
    for prop in element.get("props") or []:
        if isinstance(prop, dict) and prop.get("name") == name:
            return text_of(prop.get("value"))
    return None


def _count_nodes(catalog: dict[str, Any]) -> int:
    count = 0
    stack: list[Any] = [catalog]
    while stack:
        item = stack.pop()
        if not isinstance(item, dict):
            continue
        for key in ("groups", "controls"):
            children = item.get(key)
            if isinstance(children, list):
                count += len(children)
                stack.extend(children)
        if count > MAX_NODES:
            break
    return count


class _Params:
    """Every parameter of the catalog, rendered as text for insertion into prose."""

    def __init__(self, catalog: dict[str, Any]) -> None:
        self.text: dict[str, str] = {}
        stack: list[Any] = [catalog]
        while stack:
            item = stack.pop()
            if not isinstance(item, dict):
                continue
            for param in item.get("params") or []:
                if isinstance(param, dict) and text_of(param.get("id")):
                    self.text[str(param["id"])] = self._render(param)
            for key in ("groups", "controls"):
                stack.extend(item.get(key) or [])
        self.inserted = 0

    @staticmethod
    def _render(param: dict[str, Any]) -> str:
        values = [text_of(v) for v in param.get("values") or []]
        if any(values):
            return ", ".join(v for v in values if v)
        select = param.get("select")
        if isinstance(select, dict):
            choices = [text_of(ch) for ch in select.get("choice") or []]
            many = select.get("how-many") == "one-or-more"
            label = "Selection (one or more)" if many else "Selection"
            return f"[{label}: {'; '.join(ch for ch in choices if ch)}]"
        label = text_of(param.get("label")) or str(param.get("id"))
        return f"[Assignment: {label}]"

    def insert(self, prose: str) -> str:
        def one(match: re.Match[str]) -> str:
            self.inserted += 1
            return self.text.get(match.group(1), f"[Assignment: {match.group(1)}]")

        # Choices may themselves insert parameters: two rounds cover the nesting NIST uses.
        return _INSERT.sub(one, _INSERT.sub(one, prose))


def import_oscal(raw: bytes, file: str) -> tuple[LoadedCatalogue, MappingReport]:
    """Validate an OSCAL catalog; raise ``ValidationFailed`` listing every problem."""
    data, c = _read(raw, file)
    catalog = data.get("catalog") if isinstance(data, dict) else None
    if not isinstance(catalog, dict):
        c.error(CATALOG, "required field is missing (an OSCAL catalog starts with catalog:)")
        c.check()
    assert isinstance(catalog, dict)  # noqa: S101 -- checked above
    metadata = catalog.get("metadata")
    if not isinstance(metadata, dict):
        c.error((*CATALOG, "metadata"), "required field is missing")
        c.check()
    assert isinstance(metadata, dict)  # noqa: S101 -- checked above
    title = text_of(metadata.get("title"))
    version = text_of(metadata.get("version"))
    for field, value in (("title", title), ("version", version)):
        if value is None:
            c.error((*CATALOG, "metadata", field), "required field is missing")
    nodes = _count_nodes(catalog)
    if nodes > MAX_NODES:
        too_many_nodes(c, (*CATALOG, "groups"), nodes, "groups and controls (or more)")
    title = title or "Untitled catalog"  # reported above; go on to find the other problems
    builder = _Builder(c, Texts(c), _Params(catalog))
    domains, origin = builder.domains(catalog)
    c.check()
    uuid = text_of(catalog.get("uuid")) or "?"
    catalogue = {
        "urn": urn_or_derived(None, title, "oscal", c),
        "version": version_of(version, c),
        "name": builder.texts.pair(title, None),
        "source": {
            "en": f"Imported from the OSCAL catalog {uuid} ({title}).",
            "ja": f"OSCAL カタログ {uuid}（{title}）から取り込み。",
        },
        "scale": "maturity-0-5",
        "domains": domains,
    }
    origin.update(
        {
            ("urn",): (*CATALOG, "metadata", "title"),
            ("version",): (*CATALOG, "metadata", "version"),
            ("name",): (*CATALOG, "metadata", "title"),
        }
    )
    loaded = validate(catalogue, origin, c, raw)
    builder.notes(catalog)
    return loaded, c.report(FORMAT_NAME)


class _Builder:
    def __init__(self, c: Collector, texts: Texts, params: _Params) -> None:
        self.c = c
        self.texts = texts
        self.params = params
        self.ids: list[tuple[str, str, Loc]] = []
        self.domain_ids: list[tuple[str, str, Loc]] = []
        self.counts: Counter[str] = Counter()
        self.parts: Counter[str] = Counter()
        self.extra: Counter[str] = Counter()

    def domains(self, catalog: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[Loc, Loc]]:
        out: list[dict[str, Any]] = []
        origin: dict[Loc, Loc] = {}
        for gi, group in enumerate(catalog.get("groups") or []):
            loc: Loc = (*CATALOG, "groups", gi)
            if not isinstance(group, dict):
                self.c.error(loc, "a group is a mapping (id, title, controls)")
                continue
            group_title = text_of(group.get("title"))
            if group_title is None:
                self.c.error((*loc, "title"), "required field is missing")
                continue
            raw_id = text_of(group.get("id")) or _prop(group, "label")
            domain_id = identifier(raw_id) or f"G{gi + 1:02d}"
            controls = list(self._group_controls(group, loc, top=True))
            if not controls:
                self.counts["group.empty"] += 1
                continue
            self.domain_ids.append((domain_id, raw_id or domain_id, loc))
            origin[("domains", len(out))] = loc
            name = self.texts.pair(group_title, None)
            out.append(self._domain(domain_id, name, controls, origin, len(out)))
        loose = list(self._controls(catalog.get("controls"), (*CATALOG, "controls"), 0))
        if loose:
            origin[("domains", len(out))] = (*CATALOG, "controls")
            name = {"en": "Controls outside any group", "ja": "グループに属さない管理策"}
            self.domain_ids.append((OTHER_DOMAIN, OTHER_DOMAIN, (*CATALOG, "controls")))
            out.append(self._domain(OTHER_DOMAIN, name, loose, origin, len(out)))
        if not out:
            self.c.error(CATALOG, "the catalog has no controls to assess")
        duplicates(self.c, self.domain_ids, "domain id", "id")
        duplicates(self.c, self.ids, "control id", "id")
        return out, origin

    @staticmethod
    def _domain(
        domain_id: str,
        name: dict[str, str],
        controls: list[tuple[dict[str, Any], Loc]],
        origin: dict[Loc, Loc],
        index: int,
    ) -> dict[str, Any]:
        for ci, (_, loc) in enumerate(controls):
            origin[("domains", index, "controls", ci)] = loc
        return {"id": domain_id, "name": name, "controls": [ctl for ctl, _ in controls]}

    def _group_controls(
        self, group: dict[str, Any], loc: Loc, *, top: bool
    ) -> Iterator[tuple[dict[str, Any], Loc]]:
        if not top:
            self.counts["group.flattened"] += 1
        yield from self._controls(group.get("controls"), (*loc, "controls"), 0)
        for si, sub in enumerate(group.get("groups") or []):
            if isinstance(sub, dict):
                yield from self._group_controls(sub, (*loc, "groups", si), top=False)

    def _controls(self, items: Any, loc: Loc, depth: int) -> Iterator[tuple[dict[str, Any], Loc]]:
        for ci, control in enumerate(items or []):
            cloc: Loc = (*loc, ci)
            if not isinstance(control, dict):
                self.c.error(cloc, "a control is a mapping (id, title, parts, ...)")
                continue
            if (_prop(control, "status") or "").lower() == "withdrawn":
                self.counts["control.withdrawn"] += 1
                continue
            built = self._control(control, cloc, depth)
            if built is not None:
                yield built, cloc
            yield from self._controls(control.get("controls"), (*cloc, "controls"), depth + 1)

    def _control(self, control: dict[str, Any], loc: Loc, depth: int) -> dict[str, Any] | None:
        oscal_id = text_of(control.get("id"))
        title = text_of(control.get("title"))
        for field, value in (("id", oscal_id), ("title", title)):
            if value is None:
                self.c.error((*loc, field), "required field is missing")
        if oscal_id is None or title is None:
            return None
        label = _prop(control, "label")
        if label is not None and identifier(label) == label:
            control_id = label
            self.counts["control.label"] += 1
        else:
            control_id = identifier(oscal_id) or oscal_id
        self.ids.append((control_id, oscal_id, loc))
        if depth:
            self.counts["control.enhancement"] += 1
        statement, guidance = self._parts(control)
        for prop in control.get("props") or []:
            if isinstance(prop, dict) and prop.get("name") not in _KEPT_PROPS:
                self.extra[f"props ({prop.get('name')})"] += 1
        self.extra.update(k for k in control if k not in _CONTROL_KEYS)
        if not statement:
            self.counts["control.no_statement"] += 1
        if not guidance:
            self.counts["control.no_guidance"] += 1
        requirement = "\n".join(statement) or title
        return {
            "id": control_id,
            "title": self.texts.pair(title, None),
            "requirement": self.texts.pair(requirement, None),
            "guidance": {"en": guidance, "ja": guidance} if guidance else PLACEHOLDER_GUIDANCE,
            "evidence_hints": PLACEHOLDER_HINTS,
        }

    def _parts(self, control: dict[str, Any]) -> tuple[list[str], list[str]]:
        """The statement's lines and the guidance's lines; other parts are counted."""
        statement: list[str] = []
        guidance: list[str] = []
        for part in control.get("parts") or []:
            if not isinstance(part, dict):
                continue
            name = part.get("name")
            if name == "statement":
                statement.extend(self._prose(part))
            elif name == "guidance":
                guidance.extend(lines_list("\n".join(self._prose(part))))
            else:
                self.parts[str(name)] += 1
        return statement, guidance

    def _prose(self, part: dict[str, Any]) -> list[str]:
        out: list[str] = []
        label = _prop(part, "label")
        prose = text_of(part.get("prose"))
        if prose is not None:
            prose = self.params.insert(prose)
        line = " ".join(x for x in (label, prose) if x)
        if line:
            out.append(line)
        for sub in part.get("parts") or []:
            if isinstance(sub, dict):
                out.extend(self._prose(sub))
        return out

    def notes(self, catalog: dict[str, Any]) -> None:
        c, n = self.c, self.counts
        kept = len(self.ids)
        c.mapped.append(
            f"{len(self.domain_ids)} groups → domains, {kept} controls → controls "
            f"({n['control.enhancement']} of them nested control enhancements)"
        )
        if n["control.label"]:
            c.mapped.append(f"{n['control.label']} control ids taken from their label prop")
        if self.params.inserted:
            c.mapped.append(f"{self.params.inserted} parameter insertions written into the text")
        if n["control.no_statement"]:
            c.mapped.append(
                f"{n['control.no_statement']} controls without a statement part: the title is "
                "the requirement"
            )
        if n["control.no_guidance"]:
            c.mapped.append(
                f"{n['control.no_guidance']} controls without a guidance part: a placeholder "
                "says the source gives no example methods"
            )
        c.mapped.append(
            f"evidence hints: OSCAL has none; each of the {kept} controls gets a placeholder"
        )
        self.texts.notes()
        c.mapped.append("no key controls in the source: every control weighs 1")
        if n["group.flattened"]:
            c.dropped.append(
                f"{n['group.flattened']} nested groups (their controls sit in the top group)"
            )
        if n["group.empty"]:
            c.dropped.append(f"{n['group.empty']} groups without any control that is in force")
        if n["control.withdrawn"]:
            c.dropped.append(f"{n['control.withdrawn']} withdrawn controls")
        dropped_keys(c, Counter({f"parts ({k})": v for k, v in self.parts.items()}), "control")
        dropped_keys(c, self.extra, "control")
        back = catalog.get("back-matter")
        if isinstance(back, dict) and back.get("resources"):
            c.dropped.append(f"back-matter ({len(back['resources'])} resources)")
