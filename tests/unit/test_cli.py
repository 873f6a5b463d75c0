"""The `kansa` command line: exit codes, one line per problem on stderr, JSON output."""

from __future__ import annotations

import io
import json
import re
import shutil
import sys
from pathlib import Path

import pytest

import cli
from auth import service as auth_service
from auth.model import Role
from auth.secret import load_or_create_secret
from auth.service import SessionGrant, SignInRefused
from controls.loader import load_catalogue
from controls.service import validate_files
from core.errors import ValidationFailed
from core.settings import LIBRARY_DIR, Settings
from storage.migrate import open_database
from tests.conftest import OPERATOR

BROKEN_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "catalogues" / "broken"
ISSUE_LINE = re.compile(
    r"^(?P<file>[^:\n]+):(?P<line>[1-9]\d*): (?P<field>\S+): (?P<message>\S.*)$"
)

CATALOGUE = """\
urn: urn:kansa:catalogue:cli-test
version: "1.0"
name: {{en: CLI test, ja: CLIのテスト}}
domains:
  - id: ORG
    name: {{en: Organization, ja: 組織}}
    controls:
      - id: ORG-01
        title: {{en: {title}, ja: 責任者の任命}}
        requirement: {{en: A responsible person is appointed., ja: 責任者が任命されている。}}
        guidance: {{en: [Appoint in writing], ja: [書面で任命する]}}
        evidence_hints: {{en: [Appointment letter], ja: [任命書]}}
"""


ACCOUNT_LINE = re.compile(r"^  (\S+) +(admin|auditor|supervisor|auditee|executive)$", re.M)
PASSWORD_LINE = re.compile(r"^  password: (\S+)$", re.M)
GOOD_PASSWORD = "correct horse battery staple"


def kansa(tmp_path: Path, *args: str) -> int:
    return cli.main(["--data-dir", str(tmp_path / "data"), *args])


def demo_accounts(out: str) -> tuple[dict[str, str], str]:
    """The (username -> role) accounts and the password that `kansa demo` printed."""
    accounts = dict(ACCOUNT_LINE.findall(out))
    (password,) = PASSWORD_LINE.findall(out)
    return accounts, password


def accounts_by_role(accounts: dict[str, str]) -> dict[str, str]:
    return {role: username for username, role in accounts.items()}


def sign_in(tmp_path: Path, username: str, password: str) -> SessionGrant:
    """Sign in against the data dir the CLI used (as the web app would)."""
    settings = Settings(data_dir=tmp_path / "data")
    secret = load_or_create_secret(settings.secret_path)
    with open_database(settings.db_path) as db:
        return auth_service.sign_in(
            db, settings, secret, username=username, password=password, client="test"
        )


def usernames(tmp_path: Path) -> set[str]:
    with open_database(tmp_path / "data" / "kansa.duckdb") as db:
        return {u.username for u in auth_service.list_users(db, OPERATOR)}


def test_validate_a_valid_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = LIBRARY_DIR / "appi-security-measures.yaml"

    assert kansa(tmp_path, "catalogue", "validate", str(path)) == 0

    out, err = capsys.readouterr()
    assert err == ""
    assert "valid" in out
    assert "urn:kansa:catalogue:appi-security-measures" in out


def test_validate_broken_files_prints_one_line_per_issue(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = [BROKEN_DIR / "several-errors.yaml", BROKEN_DIR / "duplicate-key.yaml"]
    with pytest.raises(ValidationFailed) as caught:
        validate_files(paths)
    expected = [str(issue) for issue in caught.value.issues]

    assert kansa(tmp_path, "catalogue", "validate", *map(str, paths)) == 1

    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert lines == expected
    matches = [ISSUE_LINE.match(line) for line in lines]
    for line, match in zip(lines, matches, strict=True):
        assert match, f"not FILE:LINE: field: message -> {line!r}"
    assert {Path(m["file"]).name for m in matches if m} == {p.name for p in paths}
    assert len(lines) >= 10  # several-errors.yaml alone has nine problems


def test_validate_a_valid_and_a_broken_file_fails_as_a_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    valid = LIBRARY_DIR / "appi-security-measures.yaml"
    broken = BROKEN_DIR / "bad-scale.yaml"

    assert kansa(tmp_path, "catalogue", "validate", str(valid), str(broken)) == 1

    out, err = capsys.readouterr()
    assert out == ""  # nothing is reported valid unless everything is
    (line,) = err.splitlines()
    assert ISSUE_LINE.match(line)
    assert "bad-scale.yaml:6: scale:" in line


def test_init_twice(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert kansa(tmp_path, "init") == 0
    first = capsys.readouterr().out
    assert first.count("imported") == 3
    assert (tmp_path / "data" / "kansa.duckdb").exists()

    assert kansa(tmp_path, "init") == 0
    second = capsys.readouterr().out
    assert second.count("unchanged") == 3
    assert "imported" not in second

    assert kansa(tmp_path, "audit-log", "verify") == 0
    out, err = capsys.readouterr()
    assert err == ""
    # one entry per imported catalogue; the second init changed nothing, so wrote nothing
    assert out.strip() == "audit log intact: 3 entries checked"


def test_init_demo_loads_the_demo_company_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert kansa(tmp_path, "init", "--demo") == 0
    out = capsys.readouterr().out
    assert "Demo company loaded" in out
    assert (tmp_path / "data" / "session.key").exists()

    assert kansa(tmp_path, "init", "--demo") == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert "Demo company loaded" not in out
    assert "password" not in out
    assert kansa(tmp_path, "audit-log", "verify") == 0


def test_catalogue_list_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert kansa(tmp_path, "init") == 0
    capsys.readouterr()

    assert kansa(tmp_path, "catalogue", "list", "--json") == 0

    out, err = capsys.readouterr()
    assert err == ""
    items = json.loads(out)
    assert isinstance(items, list)
    assert len(items) == 3
    shipped = {}
    for path in sorted(LIBRARY_DIR.glob("*.yaml")):
        loaded = load_catalogue(path)
        cat = loaded.catalogue
        assessable = sum(1 for _, c in cat.controls() if c.assessable)
        shipped[(cat.urn, cat.version)] = (cat.name.en, assessable, loaded.sha256)
    for item in items:
        assert isinstance(item, dict)
        assert set(item) == {"urn", "version", "name", "control_count", "sha256"}
        assert (item["name"], item["control_count"], item["sha256"]) == shipped[
            (item["urn"], item["version"])
        ]


def test_catalogue_list_json_on_an_empty_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert kansa(tmp_path, "catalogue", "list", "--json") == 0
    assert json.loads(capsys.readouterr().out) == []


def test_import_then_conflicting_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    original = tmp_path / "cli-test.yaml"
    original.write_text(CATALOGUE.format(title="Responsible person"), encoding="utf-8")
    edited = tmp_path / "cli-test-edited.yaml"
    edited.write_text(CATALOGUE.format(title="Accountable person"), encoding="utf-8")

    assert kansa(tmp_path, "catalogue", "import", str(original)) == 0
    assert capsys.readouterr().out.startswith("imported: urn:kansa:catalogue:cli-test 1.0")
    assert kansa(tmp_path, "catalogue", "import", str(original)) == 0
    assert capsys.readouterr().out.startswith("unchanged:")

    assert kansa(tmp_path, "catalogue", "import", str(edited)) == 1

    out, err = capsys.readouterr()
    assert out == ""
    (line,) = err.splitlines()
    assert line.startswith("kansa: ")
    assert "already stored with different content" in line
    assert kansa(tmp_path, "catalogue", "list", "--json") == 0
    assert len(json.loads(capsys.readouterr().out)) == 1


def test_import_a_broken_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert kansa(tmp_path, "catalogue", "import", str(BROKEN_DIR / "bad-answer-type.yaml")) == 1

    (line,) = capsys.readouterr().err.splitlines()
    assert ISSUE_LINE.match(line)
    assert kansa(tmp_path, "catalogue", "list", "--json") == 0
    assert json.loads(capsys.readouterr().out) == []


def test_demo_loads_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert kansa(tmp_path, "demo") == 0
    out = capsys.readouterr().out
    assert "Demo company loaded" in out
    accounts, password = demo_accounts(out)
    assert sorted(accounts.values()) == sorted(r.value for r in Role)
    assert len(password) >= 12
    admin = accounts_by_role(accounts)["admin"]
    assert sign_in(tmp_path, admin, password).user.role is Role.ADMIN  # the password works

    assert kansa(tmp_path, "demo") == 1
    out, err = capsys.readouterr()
    assert out == ""
    (line,) = err.splitlines()
    assert line.startswith("kansa: ")
    assert "already loaded" in line
    assert "Traceback" not in err

    assert kansa(tmp_path, "demo", "--if-empty") == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert "not loaded" in out


def test_demo_if_empty_loads_into_an_empty_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert kansa(tmp_path, "demo", "--if-empty") == 0
    out = capsys.readouterr().out
    assert "Demo company loaded" in out
    accounts, password = demo_accounts(out)
    assert len(accounts) == len(Role)
    assert set(accounts) <= usernames(tmp_path)
    auditor = accounts_by_role(accounts)["auditor"]
    assert sign_in(tmp_path, auditor, password).user.role is Role.AUDITOR


@pytest.mark.parametrize(
    "args",
    [
        ["frobnicate"],
        ["catalogue", "frobnicate"],
        [],
        ["catalogue", "validate"],
        ["user", "add", "k.sato", "--role", "boss", "--password-stdin"],
        ["user", "add", "k.sato"],
        ["user", "deactivate"],
        ["audit-log"],
    ],
    ids=[
        "unknown-command",
        "unknown-catalogue-action",
        "no-command",
        "validate-without-files",
        "unknown-role",
        "user-add-without-role",
        "deactivate-without-name",
        "audit-log-without-action",
    ],
)
def test_usage_errors_exit_with_code_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        kansa(tmp_path, *args)
    assert caught.value.code == 2
    assert "usage:" in capsys.readouterr().err


# --- users ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir made by `kansa demo`, copied by each test that writes to it."""
    template = tmp_path_factory.mktemp("cli-demo")
    assert kansa(template, "demo") == 0
    return template / "data"


@pytest.fixture
def with_demo(tmp_path: Path, demo_template: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A fresh copy of a data dir holding the demo company (its org units, e.g. IAD)."""
    shutil.copytree(demo_template, tmp_path / "data")
    capsys.readouterr()
    return tmp_path


def test_user_add_with_a_password_from_stdin(
    with_demo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(GOOD_PASSWORD + "\n"))

    code = kansa(
        with_demo,
        "user",
        "add",
        "k.sato",
        "--role",
        "auditor",
        "--unit",
        "IAD",
        "--display-name",
        "佐藤 健",
        "--password-stdin",
    )

    assert code == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert "Added k.sato (auditor)" in out
    assert GOOD_PASSWORD not in out  # the operator typed it; it is not echoed
    grant = sign_in(with_demo, "k.sato", GOOD_PASSWORD)  # the newline was not kept
    assert (grant.user.role, grant.user.org_unit_code) == (Role.AUDITOR, "IAD")
    assert grant.user.display_name == "佐藤 健"

    assert kansa(with_demo, "user", "list") == 0
    listed = capsys.readouterr().out.splitlines()
    (line,) = [row for row in listed if row.startswith("k.sato ")]
    assert line.split()[:4] == ["k.sato", "auditor", "IAD", "active"]


def test_user_add_without_a_password_prints_a_generated_one(
    with_demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert kansa(with_demo, "user", "add", "k.sato", "--role", "executive") == 0

    (password,) = re.findall(r"^Password \(shown only now\): (\S+)$", capsys.readouterr().out, re.M)
    assert sign_in(with_demo, "k.sato", password).user.role is Role.EXECUTIVE


@pytest.mark.parametrize(
    ("password", "reason"),
    [("short", "at least 12 characters"), ("K.Sato.Admin", "may not be the username")],
    ids=["too-short", "the-username"],
)
def test_user_add_with_a_weak_password_writes_nothing(
    with_demo: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    password: str,
    reason: str,
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\n"))

    code = kansa(with_demo, "user", "add", "k.sato.admin", "--role", "admin", "--password-stdin")

    assert code == 1
    out, err = capsys.readouterr()
    assert out == ""
    (line,) = err.splitlines()
    assert reason in line
    assert password not in line
    assert "k.sato.admin" not in usernames(with_demo)


def test_user_add_with_an_unknown_unit_is_refused(
    with_demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert kansa(with_demo, "user", "add", "k.sato", "--role", "auditee", "--unit", "NOPE") == 1

    (line,) = capsys.readouterr().err.splitlines()
    assert "NOPE" in line
    assert "k.sato" not in usernames(with_demo)


def test_user_deactivate_stops_sign_in(
    with_demo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(GOOD_PASSWORD + "\n"))
    assert kansa(with_demo, "user", "add", "k.sato", "--role", "auditor", "--password-stdin") == 0
    grant = sign_in(with_demo, "k.sato", GOOD_PASSWORD)
    capsys.readouterr()

    assert kansa(with_demo, "user", "deactivate", "k.sato") == 0

    assert "Deactivated k.sato" in capsys.readouterr().out
    with pytest.raises(SignInRefused):
        sign_in(with_demo, "k.sato", GOOD_PASSWORD)
    settings = Settings(data_dir=with_demo / "data")
    with open_database(settings.db_path) as db:
        secret = load_or_create_secret(settings.secret_path)
        assert auth_service.resolve_session(db, settings, secret, grant.token) is None
    assert kansa(with_demo, "user", "list") == 0
    (line,) = [r for r in capsys.readouterr().out.splitlines() if r.startswith("k.sato ")]
    assert "deactivated" in line.split()


def test_user_deactivate_of_an_unknown_user(
    with_demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert kansa(with_demo, "user", "deactivate", "nobody.here") == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("kansa: ")
    assert "nobody.here" in line


def test_user_reset_password(with_demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert kansa(with_demo, "user", "add", "k.sato", "--role", "auditor") == 0
    (old,) = re.findall(r"\(shown only now\): (\S+)$", capsys.readouterr().out, re.M)

    assert kansa(with_demo, "user", "reset-password", "k.sato") == 0

    (new,) = re.findall(r"\(shown only now\): (\S+)$", capsys.readouterr().out, re.M)
    assert new != old
    with pytest.raises(SignInRefused):
        sign_in(with_demo, "k.sato", old)
    assert sign_in(with_demo, "k.sato", new).user.username == "k.sato"
