"""Every UI string exists in both languages, and every key the code asks for exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import get_args

from controls.references import REF_SCHEMES
from controls.schema import AnswerType
from ui.i18n import LANGS, strings

ROOT = Path(__file__).resolve().parents[2]
UI_FILES = [
    ROOT / "app.py",
    *sorted((ROOT / "pages").glob("*.py")),
    *sorted((ROOT / "ui").rglob("*.py")),
]


def _literal_keys() -> set[str]:
    keys: set[str] = set()
    for path in UI_FILES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "t"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                keys.add(node.args[0].value)
    return keys


def test_both_languages_have_the_same_keys() -> None:
    ja, en = set(strings("ja")), set(strings("en"))
    assert ja - en == set(), "keys only in ja.yaml"
    assert en - ja == set(), "keys only in en.yaml"


def test_every_key_used_in_code_exists() -> None:
    used = _literal_keys()
    assert len(used) > 30  # the scan really found the calls
    for lang in LANGS:
        assert used - set(strings(lang)) == set(), f"missing in {lang}.yaml"


def test_keys_built_at_run_time_exist() -> None:
    for lang in LANGS:
        table = strings(lang)
        for answer_type in get_args(AnswerType):
            assert f"answer_type.{answer_type}" in table
        for scheme in REF_SCHEMES:
            assert f"catalogue.ref.{scheme}" in table


def test_placeholders_match_between_languages() -> None:
    field = re.compile(r"\{(\w+)\}")
    ja, en = strings("ja"), strings("en")
    for key, text in en.items():
        assert set(field.findall(text)) == set(field.findall(ja[key])), key


def test_japanese_strings_are_japanese() -> None:
    ja = strings("ja")
    cjk = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
    untranslated = [k for k, v in ja.items() if not cjk.search(v) and v != strings("en")[k]]
    assert untranslated == []
