"""Catalogue YAML and imported framework files (CISO Assistant, OSCAL) of random structure and
garbage: each is refused with a ``ValidationFailed`` naming file, line and field, never another
exception, and a refused file writes nothing."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from controls.importers.ciso_assistant import import_ciso
from controls.importers.oscal import import_oscal
from controls.loader import parse_catalogue
from controls.service import import_file
from core.errors import ValidationFailed
from core.settings import MAX_CATALOGUE_BYTES
from storage.db import Database
from tests.conftest import OPERATOR
from tests.hostile.cases import SAMPLES, bounded, hostile_text
from tests.hostile.conftest import Tally, row_counts

YAML_KIND = "catalogue YAML"
FOREIGN_KIND = "framework import (CISO Assistant, OSCAL)"
FILE = "hostile.yaml"

VALID: dict[str, Any] = {
    "urn": "urn:kansa:catalogue:hostile",
    "version": "1.0",
    "name": {"en": "Hostile", "ja": "敵対的"},
    "domains": [
        {
            "id": "ORG",
            "name": {"en": "Organization", "ja": "組織"},
            "controls": [
                {
                    "id": "ORG-01",
                    "title": {"en": "Responsible person", "ja": "責任者"},
                    "requirement": {"en": "Appointed.", "ja": "任命されている。"},
                    "guidance": {"en": ["Appoint in writing"], "ja": ["書面で任命する"]},
                    "refs": {"appi_guideline": ["10-3(1)"], "iso27001_2022": ["5.2"]},
                    "evidence_hints": {"en": ["Appointment letter"], "ja": ["任命書"]},
                }
            ],
        }
    ],
}


def _dump(value: object) -> bytes:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False).encode("utf-8")


def _check_refusal(exc: ValidationFailed, raw: bytes, file: str = FILE) -> None:
    """Every issue names the file, a line inside it (or 1) and a field, with a message."""
    assert exc.issues
    last_line = raw.count(b"\n") + 2
    for issue in exc.issues:
        assert issue.file == file
        assert 1 <= issue.line <= last_line, issue
        assert issue.field
        assert issue.message.strip()


def _parse(raw: bytes, tally: Tally) -> None:
    try:
        parse_catalogue(raw, FILE)
    except ValidationFailed as exc:
        _check_refusal(exc, raw)
        tally.refused(YAML_KIND)
    else:
        tally.handled(YAML_KIND)


# -- random bytes, random YAML-ish text, random structures -----------------------------------

YAML_CHARS = st.sampled_from([*":-?[]{},&*!|>'\"%@`#\t\n  \r\\", "a", "1", "漢", "🙂", "\x00"])
JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | hostile_text(3),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(hostile_text(2), inner, max_size=4),
    max_leaves=12,
)


@bounded(60)
@given(raw=st.binary(max_size=400))
def test_random_bytes(raw: bytes, tally: Tally) -> None:
    _parse(raw, tally)


@bounded(80)
@given(text=st.text(YAML_CHARS, max_size=200))
def test_yaml_punctuation_soup(text: str, tally: Tally) -> None:
    _parse(text.encode("utf-8", "surrogatepass"), tally)


@bounded(60)
@given(value=JSONISH)
def test_random_structures(value: object, tally: Tally) -> None:
    _parse(_dump(value), tally)


def _paths(value: object, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


PATHS = [p for p in _paths(VALID) if p]


@bounded(80)
@given(path=st.sampled_from(PATHS), replacement=JSONISH)
def test_one_field_of_a_valid_catalogue_replaced(
    path: tuple[Any, ...], replacement: object, tally: Tally
) -> None:
    """A valid catalogue with one field swapped for something random: refused naming that
    field (or a field inside or beside it), or still valid."""
    doc = copy.deepcopy(VALID)
    target: Any = doc
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = replacement
    raw = _dump(doc)
    try:
        parse_catalogue(raw, FILE)
    except ValidationFailed as exc:
        _check_refusal(exc, raw)
        tally.refused(YAML_KIND)
    else:
        tally.handled(YAML_KIND)


# -- hand-made attacks -----------------------------------------------------------------------

LAUGHS = b"""a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
"""
VALID_YAML = _dump(VALID)
ATTACKS = {
    "billion-laughs": LAUGHS,
    "python-object": b"urn: !!python/object/apply:os.system ['echo pwned']\n",
    "python-name": b"version: !!python/name:os.system\n",
    "custom-tag": b"urn: !kansa x\n",
    "merge-key": b"base: &b {id: X}\ndomains: [{<<: *b}]\n",
    "duplicate-key": VALID_YAML + b"urn: urn:kansa:catalogue:other\n",
    "deep-nesting": b"[" * 5000 + b"]" * 5000,
    "deep-mapping": b"a: " + b"{a: " * 3000 + b"1" + b"}" * 3000 + b"\n",
    "two-documents": VALID_YAML + b"---\n" + VALID_YAML,
    "tab-indent": b"urn: x\ndomains:\n\t- id: ORG\n",
    "nul-byte": VALID_YAML.replace(b"Hostile", b"Host\x00ile"),
    "escape-char": VALID_YAML.replace(b"Hostile", b"Host\x1bile"),
    "utf-16": VALID_YAML.decode("utf-8").encode("utf-16"),
    "shift-jis": "name: 組織\n".encode("shift_jis"),
    "too-large": b"# " + b"x" * MAX_CATALOGUE_BYTES + b"\n",
    "empty": b"",
    "only-comment": b"# nothing here\n",
    "scalar-root": b"just text\n",
    "list-root": b"- a\n- b\n",
    "binary-tag": b"urn: !!binary aGVsbG8=\n",
    "set-tag": b"urn: !!set {a, b}\n",
    "huge-int": b"version: " + b"9" * 5000 + b"\n",
    "unclosed-quote": b'urn: "never closed\nversion: 1\n',
    "unclosed-flow": b"domains: [{id: ORG, controls: [\n",
}


@pytest.mark.parametrize("raw", ATTACKS.values(), ids=ATTACKS.keys())
def test_crafted_catalogues_are_refused(raw: bytes, tally: Tally) -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse_catalogue(raw, FILE)
    _check_refusal(caught.value, raw)
    tally.refused(YAML_KIND)


def test_hostile_text_in_every_field_of_a_valid_catalogue_is_kept_as_text(tally: Tally) -> None:
    """Markup, formulas and control-free oddities are data: a catalogue carrying them in its
    names loads with the text unchanged (escaping is the business of whatever shows it)."""
    for sample in SAMPLES:
        if not sample.strip() or any(
            (ord(ch) < 0x20 and ch not in "\t\n\r") or ch in "\x7f\x85\ufeff\ufffe" for ch in sample
        ):
            continue  # control characters are refused by YAML itself (see the attacks above)
        doc = copy.deepcopy(VALID)
        doc["name"]["en"] = sample
        doc["domains"][0]["controls"][0]["requirement"]["ja"] = sample
        catalogue = parse_catalogue(_dump(doc), FILE)
        assert catalogue.name.en == sample.strip() or catalogue.name.en == sample
        tally.handled(YAML_KIND)


def _stored(db: Database) -> tuple[int, ...]:
    return row_counts(db, "catalogues", "controls", "audit_log")


@pytest.mark.parametrize("name", ["billion-laughs", "python-object", "duplicate-key", "too-large"])
def test_a_refused_import_writes_nothing(
    db: Database, tmp_path: Path, name: str, tally: Tally
) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(ATTACKS[name])
    before = _stored(db)
    with pytest.raises(ValidationFailed):
        import_file(db, OPERATOR, path)
    assert _stored(db) == before
    tally.refused(YAML_KIND)


# -- imported frameworks ---------------------------------------------------------------------


def _foreign(importer: Any, raw: bytes, file: str, tally: Tally) -> None:
    try:
        importer(raw, file)
    except ValidationFailed as exc:
        _check_refusal(exc, raw, file)
        tally.refused(FOREIGN_KIND)
    else:
        tally.handled(FOREIGN_KIND)


def _ciso(value: object) -> object:
    return {
        "urn": "urn:intuitem:risk:library:hostile",
        "name": "hostile",
        "objects": {"framework": {"urn": "urn:x", "requirement_nodes": value}},
    }


@bounded(50)
@given(value=JSONISH, wrap=st.booleans())
def test_ciso_assistant_files_of_random_structure(value: object, wrap: bool, tally: Tally) -> None:
    raw = _dump(_ciso(value) if wrap else value)
    _foreign(import_ciso, raw, "hostile-ciso.yaml", tally)


@bounded(50)
@given(value=JSONISH, wrap=st.booleans(), as_json=st.booleans())
def test_oscal_catalogs_of_random_structure(
    value: object, wrap: bool, as_json: bool, tally: Tally
) -> None:
    doc = {"catalog": {"uuid": "x", "metadata": value, "groups": value}} if wrap else value
    raw = json.dumps(doc, ensure_ascii=False).encode() if as_json else _dump(doc)
    _foreign(import_oscal, raw, "hostile-oscal.json", tally)


@pytest.mark.parametrize("raw", ATTACKS.values(), ids=ATTACKS.keys())
@pytest.mark.parametrize("importer", [import_ciso, import_oscal], ids=["ciso", "oscal"])
def test_crafted_framework_files_are_refused(importer: Any, raw: bytes, tally: Tally) -> None:
    with pytest.raises(ValidationFailed) as caught:
        importer(raw, "hostile-framework")
    _check_refusal(caught.value, raw, "hostile-framework")
    tally.refused(FOREIGN_KIND)
