"""CISO Assistant library files (framework YAML) as Kansa catalogues.

A library holds ``objects.framework.requirement_nodes``: a flat list whose ``parent_urn``
links make a tree of any depth, some nodes ``assessable``. Kansa has two levels, so:

- each top-level node (no ``parent_urn``) with something assessable below it becomes a domain;
- every assessable node becomes a control of its top-level node's domain, in file order
  (an assessable top-level node is both its own domain and its control);
- headings between the top and the assessable nodes are flattened (reported);
- ``name`` becomes the title, ``description`` the requirement (the name when there is none),
  ``annotation`` the example methods and ``typical_evidence`` the evidence hints, one per line;
- the file's ``locale`` text and ``translations`` give English and Japanese; a language the
  source lacks is filled from the other (reported), so the catalogue stays bilingual;
- ``min_score``/``max_score`` and everything Kansa has no place for (implementation groups,
  reference controls, threats, questions, ...) are dropped and listed in the report.

The YAML is read as safely as our own catalogues (no aliases, duplicate keys or custom tags).
"""

from __future__ import annotations

import re
from collections import Counter
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
from controls.loader import Loc, build_values
from controls.model import LoadedCatalogue

FORMAT_NAME = "CISO Assistant library"
FRAMEWORK: Loc = ("objects", "framework")
NODES: Loc = (*FRAMEWORK, "requirement_nodes")
_NODE_KEYS = frozenset(
    {
        "urn",
        "parent_urn",
        "ref_id",
        "name",
        "description",
        "annotation",
        "typical_evidence",
        "assessable",
        "depth",
        "translations",
    }
)
_LIBRARY_KEYS = frozenset(
    {"urn", "locale", "ref_id", "name", "description", "version", "translations", "objects"}
)


_URN_KEY = re.compile(r"(?:^|[{,])[ \t-]*urn\s*:", re.MULTILINE)
# Every node has a urn, and so do the library, its framework and any reference controls or
# threats: far more urn keys than any real library has means the file is refused before the
# (comparatively slow) safe YAML reading of several megabytes.
_URN_KEYS_MAX = 3 * MAX_NODES


def _refuse_huge(text: str, file: str) -> None:
    count = len(_URN_KEY.findall(text))
    if count > _URN_KEYS_MAX:
        c = Collector(file, dict)
        too_many_nodes(c, NODES, count, "urn entries (requirement nodes and others)")


class _Lang:
    """Texts of one element in each language: the file's ``locale`` plus ``translations``."""

    def __init__(self, element: dict[str, Any], locale: str) -> None:
        self.element = element
        self.locale = locale
        raw = element.get("translations")
        self.translations: dict[str, Any] = raw if isinstance(raw, dict) else {}

    def get(self, field: str, lang: str) -> str | None:
        if lang == self.locale:
            return text_of(self.element.get(field))
        entry = self.translations.get(lang)
        return text_of(entry.get(field)) if isinstance(entry, dict) else None

    def pair(self, texts: Texts, field: str, fallback: str | None = None) -> dict[str, str] | None:
        en, ja = self.get(field, "en"), self.get(field, "ja")
        other = text_of(self.element.get(field)) or fallback
        if en is None and ja is None and other is None:
            return None
        return texts.pair(en, ja, other)


def import_ciso(raw: bytes, file: str) -> tuple[LoadedCatalogue, MappingReport]:
    """Validate a CISO Assistant library; raise ``ValidationFailed`` listing every problem."""
    text = decode(raw, file)
    _refuse_huge(text, file)
    data, lines, refused = build_values(text, file)
    c = Collector(file, lambda: lines)
    c.issues.extend(refused)
    if not isinstance(data, dict):
        c.error((), "a CISO Assistant library is a mapping (urn, name, objects: framework: ...)")
        c.check()
    objects = data.get("objects")
    framework = objects.get("framework") if isinstance(objects, dict) else None
    if not isinstance(framework, dict):
        c.error(FRAMEWORK, "required field is missing (this library holds no framework)")
        c.check()
    assert isinstance(objects, dict)  # noqa: S101 -- c.check() raised otherwise
    assert isinstance(framework, dict)  # noqa: S101
    nodes = framework.get("requirement_nodes")
    if not isinstance(nodes, list) or not nodes:
        c.error(NODES, "required field is missing (a list of requirement nodes)")
        c.check()
    assert isinstance(nodes, list)  # noqa: S101 -- checked above
    if len(nodes) > MAX_NODES:
        too_many_nodes(c, NODES, len(nodes), "requirement nodes")
    locale = text_of(data.get("locale")) or "en"
    texts = Texts(c)

    by_urn, parent = _index(c, nodes)
    if _find_cycles(c, nodes, by_urn, parent):
        c.check()  # the tree cannot be walked: report what is known
    data_out, origin = _catalogue(c, texts, data, framework, nodes, by_urn, parent, locale)
    c.check()
    loaded = validate(data_out, origin, c, raw)
    texts.notes(f"the file's language ({locale})")
    _notes(c, data, objects, framework, nodes)
    return loaded, c.report(FORMAT_NAME)


def _index(c: Collector, nodes: list[Any]) -> tuple[dict[str, int], dict[str, str | None]]:
    """Node index by urn and each node's parent; missing and repeated urns are reported."""
    by_urn: dict[str, int] = {}
    parent: dict[str, str | None] = {}
    for i, node in enumerate(nodes):
        loc: Loc = (*NODES, i)
        if not isinstance(node, dict):
            c.error(loc, "a requirement node is a mapping (urn, ref_id, name, ...)")
            continue
        urn = text_of(node.get("urn"))
        if urn is None:
            c.error((*loc, "urn"), "required field is missing")
            continue
        if urn in by_urn:
            c.error(
                (*loc, "urn"),
                f"duplicate urn {urn!r}: also line {c.line((*NODES, by_urn[urn]))}",
            )
            continue
        by_urn[urn] = i
        assessable = node.get("assessable", False)
        if not isinstance(assessable, bool):
            c.error((*loc, "assessable"), f"must be true or false, not {assessable!r}")
        raw_parent = node.get("parent_urn")
        parent[urn] = text_of(raw_parent)
        if raw_parent is not None and parent[urn] is None:
            c.error((*loc, "parent_urn"), "must be the urn of another requirement node")
    for urn, up in parent.items():
        if up is not None and up not in by_urn:
            c.error(
                (*NODES, by_urn[urn], "parent_urn"),
                f"no requirement node has the urn {up!r}",
            )
            parent[urn] = None  # go on as a top-level node, to find the other problems too
    return by_urn, parent


def _find_cycles(
    c: Collector, nodes: list[Any], by_urn: dict[str, int], parent: dict[str, str | None]
) -> bool:
    """Report every ``parent_urn`` loop once (each node has one parent: follow the chain).

    Returns whether there was a loop."""
    found = False
    state: dict[str, int] = {}  # 1: on the chain being followed, 2: known to reach a root
    for start in by_urn:
        chain: list[str] = []
        node: str | None = start
        while node is not None and node in by_urn and node not in state:
            state[node] = 1
            chain.append(node)
            node = parent.get(node)
        if node is not None and state.get(node) == 1:
            loop = chain[chain.index(node) :]
            refs = [text_of(nodes[by_urn[u]].get("ref_id")) or u.rsplit(":", 1)[-1] for u in loop]
            c.error(
                (*NODES, by_urn[node], "parent_urn"),
                f"parent_urn links form a cycle: {' → '.join([*refs, refs[0]])}",
            )
            found = True
        for u in chain:
            state[u] = 2
    return found


def _root(urn: str, parent: dict[str, str | None], memo: dict[str, str]) -> str:
    path = []
    node = urn
    while node not in memo and parent.get(node) is not None:
        path.append(node)
        node = parent[node] or node
    root = memo.get(node, node)
    for p in path:
        memo[p] = root
    memo[urn] = root
    return root


def _catalogue(
    c: Collector,
    texts: Texts,
    library: dict[str, Any],
    framework: dict[str, Any],
    nodes: list[Any],
    by_urn: dict[str, int],
    parent: dict[str, str | None],
    locale: str,
) -> tuple[dict[str, Any], dict[Loc, Loc]]:
    memo: dict[str, str] = {}
    domains: dict[str, dict[str, Any]] = {}  # root urn -> domain, in order of first use
    origin: dict[Loc, Loc] = {
        ("urn",): (*FRAMEWORK, "urn"),
        ("version",): ("version",),
        ("name",): (*FRAMEWORK, "name"),
    }
    control_ids: list[tuple[str, str, Loc]] = []
    domain_ids: list[tuple[str, str, Loc]] = []
    for urn, i in by_urn.items():
        node = nodes[i]
        if node.get("assessable") is not True:
            continue
        root = _root(urn, parent, memo)
        if root not in domains:
            top = nodes[by_urn[root]]
            domains[root] = _domain(c, texts, top, by_urn[root], locale, len(domains))
            domain_ids.append((domains[root]["id"], domains[root]["_ref"], (*NODES, by_urn[root])))
        domain = domains[root]
        control = _control(c, texts, node, i, locale)
        if control is None:
            continue
        control_ids.append((control["id"], control.pop("_ref"), (*NODES, i)))
        origin[("domains", list(domains).index(root), "controls", len(domain["controls"]))] = (
            *NODES,
            i,
        )
        domain["controls"].append(control)
    if not domains and not c.issues:
        c.error(NODES, "no requirement node is assessable: there is nothing to assess")
    unused = sum(1 for u, up in parent.items() if up is None and u not in domains)
    if unused:
        c.dropped.append(f"{unused} top-level headings with nothing assessable below them")
    duplicates(c, domain_ids, "domain id", "ref_id")
    duplicates(c, control_ids, "control id", "ref_id")
    for di, root in enumerate(domains):
        origin[("domains", di)] = (*NODES, by_urn[root])
        domains[root].pop("_ref")

    lib = _Lang(library, locale)
    fw = _Lang(framework, locale)
    name = (
        fw.pair(texts, "name") or lib.pair(texts, "name") or texts.pair("Imported framework", None)
    )
    raw_urn = text_of(framework.get("urn")) or text_of(library.get("urn"))
    lib_urn = text_of(library.get("urn")) or raw_urn or "?"
    provider = text_of(library.get("provider"))
    by = f" (provider {provider})" if provider else ""
    by_ja = f"（提供元 {provider}）" if provider else ""
    data: dict[str, Any] = {
        "urn": urn_or_derived(raw_urn, name["en"], "ciso", c),
        "version": version_of(text_of(library.get("version")), c),
        "name": name,
        "source": {
            "en": f"Imported from the CISO Assistant library {lib_urn}{by}.",
            "ja": f"CISO Assistant ライブラリ {lib_urn} から取り込み{by_ja}。",
        },
        "scale": "maturity-0-5",
        "domains": list(domains.values()),
    }
    c.mapped.append(
        f"{len(domains)} top-level requirement nodes → domains, "
        f"{sum(len(d['controls']) for d in domains.values())} assessable nodes → controls"
    )
    return data, origin


def _domain(
    c: Collector, texts: Texts, node: dict[str, Any], index: int, locale: str, position: int
) -> dict[str, Any]:
    lang = _Lang(node, locale)
    ref = text_of(node.get("ref_id"))
    domain_id = identifier(ref) or f"D{position + 1:02d}"
    if ref is None:
        c.counts["domain.no_ref"] += 1
    name = lang.pair(texts, "name", fallback=ref or domain_id)
    assert name is not None  # noqa: S101 -- a fallback is always given
    domain: dict[str, Any] = {"id": domain_id, "_ref": ref or domain_id, "name": name}
    description = lang.pair(texts, "description")
    if description is not None:
        domain["description"] = description
    domain["controls"] = []
    return domain


def _control(
    c: Collector, texts: Texts, node: dict[str, Any], index: int, locale: str
) -> dict[str, Any] | None:
    loc: Loc = (*NODES, index)
    lang = _Lang(node, locale)
    ref = text_of(node.get("ref_id"))
    urn = text_of(node.get("urn")) or ""
    control_id = identifier(ref) or identifier(urn.rsplit(":", 1)[-1])
    if control_id is None:
        c.error((*loc, "ref_id"), "required field is missing (no ref_id to use as the id)")
        return None
    if ref is None:
        c.counts["control.ref_from_urn"] += 1
    elif control_id != ref:
        c.counts["control.ref_cleaned"] += 1
    name = lang.pair(texts, "name")
    description = lang.pair(texts, "description")
    if name is None and description is None:
        c.error(loc, "the requirement has neither a name nor a description")
        return None
    if name is None:
        c.counts["control.title_from_ref"] += 1
        name = texts.pair(control_id, None)
    if description is None:
        c.counts["control.requirement_from_name"] += 1
        description = name
    guidance = lang.pair(texts, "annotation")
    hints = lang.pair(texts, "typical_evidence")
    if guidance is None:
        c.counts["control.no_guidance"] += 1
    if hints is None:
        c.counts["control.no_hints"] += 1
    extra = Counter(k for k in node if k not in _NODE_KEYS)
    c.counts.update({f"node.{k}": n for k, n in extra.items()})
    return {
        "id": control_id,
        "_ref": ref or control_id,
        "title": name,
        "requirement": description,
        "guidance": _lists(guidance) or PLACEHOLDER_GUIDANCE,
        "evidence_hints": _lists(hints) or PLACEHOLDER_HINTS,
    }


def _lists(pair: dict[str, str] | None) -> dict[str, list[str]] | None:
    if pair is None:
        return None
    en, ja = lines_list(pair["en"]), lines_list(pair["ja"])
    return {"en": en, "ja": ja} if en and ja else None


def _notes(
    c: Collector,
    library: dict[str, Any],
    objects: dict[str, Any],
    framework: dict[str, Any],
    nodes: list[Any],
) -> None:
    counts = c.counts
    if counts["control.ref_cleaned"]:
        c.mapped.append(
            f"{counts['control.ref_cleaned']} ref_ids had characters Kansa ids do not allow "
            "(spaces, non-ASCII, ...): replaced by '-'"
        )
    if counts["control.ref_from_urn"]:
        c.mapped.append(
            f"{counts['control.ref_from_urn']} assessable nodes without ref_id: id taken from "
            "the end of their urn"
        )
    if counts["control.title_from_ref"]:
        c.mapped.append(f"{counts['control.title_from_ref']} nodes without a name: id as title")
    if counts["control.requirement_from_name"]:
        c.mapped.append(
            f"{counts['control.requirement_from_name']} nodes without a description: the name "
            "is the requirement"
        )
    if counts["control.no_guidance"]:
        c.mapped.append(
            f"{counts['control.no_guidance']} controls without annotation: a placeholder says "
            "the source gives no example methods"
        )
    if counts["control.no_hints"]:
        c.mapped.append(
            f"{counts['control.no_hints']} controls without typical_evidence: a placeholder "
            "says the source gives no evidence examples"
        )
    _framework_notes(c, library, objects, framework, nodes)


def _framework_notes(
    c: Collector,
    library: dict[str, Any],
    objects: dict[str, Any],
    framework: dict[str, Any],
    nodes: list[Any],
) -> None:
    counts = c.counts
    flattened = sum(
        1
        for n in nodes
        if isinstance(n, dict) and n.get("assessable") is not True and n.get("parent_urn")
    )
    if flattened:
        c.dropped.append(
            f"{flattened} intermediate headings (not assessable): their controls sit directly "
            "in the top-level domain"
        )
    low, high = framework.get("min_score"), framework.get("max_score")
    if low is not None or high is not None:
        if (low, high) == (0, 5):
            c.mapped.append("score range 0–5: Kansa answers documented and implemented 0–5")
        else:
            c.dropped.append(
                f"score range {low}–{high}: Kansa scores every control as documented and "
                "implemented 0–5 (score 0–100)"
            )
    for key in ("scores_definition", "implementation_groups_definition"):
        if key in framework:
            c.dropped.append(f"framework {key}")
    other_objects = sorted(k for k in objects if k != "framework")
    if other_objects:
        c.dropped.append(f"library objects {', '.join(other_objects)}")
    extra = sorted(k for k in library if k not in _LIBRARY_KEYS)
    if extra:
        c.dropped.append(f"library fields {', '.join(extra)}")
    node_keys = Counter({k[5:]: n for k, n in counts.items() if k.startswith("node.")})
    dropped_keys(c, node_keys, "node")
    c.mapped.append("no key controls in the source: every control weighs 1")
