"""Evidence uploads that are hostile: executables disguised as documents, empty and oversized
files, names with path parts, NUL, the right-to-left override and emoji. Each is refused with
a reason and leaves nothing behind (no row, no stored file, no temporary file), or is stored
under its SHA-256 with a cleaned display name that is only metadata."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments import service as assessments
from core.errors import Conflict, ValidationFailed
from core.settings import Settings
from evidence import service as evidence
from evidence.store import MAX_NAME, EvidenceStore
from storage.db import Database
from tests.conftest import OPERATOR
from tests.hostile.cases import SAMPLES, bounded, hostile_text
from tests.hostile.conftest import Tally, row_counts

KIND = "evidence upload"
APPI = "urn:kansa:catalogue:appi-security-measures"
LIMIT_MB = 1
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)

EXECUTABLES = {
    "windows-pe": b"MZ\x90\x00\x03" + bytes(200),
    "linux-elf": b"\x7fELF\x02\x01\x01" + bytes(200),
    "mach-o": b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + bytes(200),
    "java-class": b"\xca\xfe\xba\xbe\x00\x00\x00\x34" + bytes(200),
    "zip-archive": b"PK\x03\x04\x14\x00\x00\x00" + bytes(200),
    "binary-noise": bytes(range(256)) * 4,
    "shockwave": b"FWS\x0a" + bytes(200),
}
ACCEPTED = {
    "pdf": PDF,
    "png": PNG,
    "text": "研修の受講記録\n".encode(),
    "html-as-text": b"<html><script>alert(1)</script></html>",
    "csv-formulas": b'=HYPERLINK("http://x"),+1,-1,@SUM(A1)\r\n',
}


@pytest.fixture(scope="module")
def db(module_db: Database) -> Database:
    return module_db


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> EvidenceStore:
    root = tmp_path_factory.mktemp("evidence-data")
    return EvidenceStore.from_settings(Settings(data_dir=root, evidence_max_mb=LIMIT_MB))


@pytest.fixture(scope="module")
def campaign(db: Database) -> str:
    return assessments.create_assessment(
        db, OPERATOR, title="証跡の敵対的テスト", catalogue_urn=APPI, scope_unit="CSC"
    ).id


_serial = iter(range(10**9))


def _state(db: Database, store: EvidenceStore) -> tuple[tuple[int, ...], list[str], list[Path]]:
    incoming = store.root / ".incoming"
    leftovers = sorted(incoming.iterdir()) if incoming.exists() else []
    return (
        row_counts(db, "evidence_files", "evidence_links", "audit_log"),
        sorted(store.stored()),
        leftovers,
    )


def _upload(
    db: Database, store: EvidenceStore, campaign: str, name: str, data: bytes, tally: Tally
) -> bool:
    """Upload; True when stored. Either way the store and database are checked."""
    before = _state(db, store)
    try:
        item = evidence.add_evidence(
            db,
            OPERATOR,
            store,
            assessment_id=campaign,
            control_id="POL-01",
            filename=name,
            stream=io.BytesIO(data),
            description=name,
        )
    except (ValidationFailed, Conflict) as exc:
        assert str(exc).strip()  # noqa: PT017 -- refusal and storage are both allowed here
        after = _state(db, store)
        assert after[0] == before[0]  # no row
        assert after[1] == before[1]  # no file
        assert after[2] == []  # no temporary file
        tally.refused(KIND)
        return False
    shown = item.filename
    assert shown not in {"", ".", ".."}
    assert "/" not in shown
    assert "\\" not in shown
    assert len(shown) <= MAX_NAME
    assert not any(unicodedata.category(ch)[0] == "C" for ch in shown), repr(shown)
    path = store.path_of(item.sha256)
    assert path.resolve().is_relative_to(store.root.resolve())
    assert path.read_bytes() == data
    assert item.media_type in store.allowed_types
    assert _state(db, store)[2] == []
    tally.handled(KIND)
    return True


PATH_PARTS = st.sampled_from(
    ["../", "..\\", "/etc/", "C:\\Windows\\", "\x00", "\u202e", "🙂", ".", "..", "~", "%2e%2e/"]
)
NAMES = st.lists(st.one_of(PATH_PARTS, hostile_text(2)), min_size=1, max_size=6).map("".join)
SUFFIXES = st.sampled_from([".pdf", ".png", ".txt", ".exe", ".pdf.exe", "", ".html", ".svg"])


@bounded(40)
@given(name=NAMES, suffix=SUFFIXES, kind=st.sampled_from(sorted(ACCEPTED)))
def test_odd_names_on_acceptable_files(
    db: Database,
    store: EvidenceStore,
    campaign: str,
    name: str,
    suffix: str,
    kind: str,
    tally: Tally,
) -> None:
    # unique bytes, so that no upload is refused only for being linked already
    data = ACCEPTED[kind] + f"\n%{next(_serial)}\n".encode()
    _upload(db, store, campaign, name + suffix, data, tally)


@bounded(20)
@given(name=NAMES, suffix=SUFFIXES, kind=st.sampled_from(sorted(EXECUTABLES)))
def test_executables_and_binaries_are_always_refused(
    db: Database,
    store: EvidenceStore,
    campaign: str,
    name: str,
    suffix: str,
    kind: str,
    tally: Tally,
) -> None:
    assert not _upload(db, store, campaign, name + suffix, EXECUTABLES[kind], tally)


SPECIAL = {
    "empty": (b"", "empty.pdf"),
    "one-byte-over": (PDF + bytes(LIMIT_MB * 1024 * 1024), "big.pdf"),
    "much-larger": (PDF + bytes(3 * LIMIT_MB * 1024 * 1024), "huge.pdf"),
    "name-dot-dot": (PDF + b"1", ".."),
    "name-slash": (PDF + b"2", "/"),
    "name-only-controls": (PDF + b"3", "\x00\u202e\x07"),
    "name-rtl-only": (PDF + b"4", "\u202e\u202d"),
    "exe-named-pdf": (EXECUTABLES["windows-pe"], "report.pdf"),
    "exe-rtl-disguise": (EXECUTABLES["windows-pe"], "report\u202efdp.exe"),
}


@pytest.mark.parametrize(("data", "name"), SPECIAL.values(), ids=SPECIAL.keys())
def test_special_cases_are_refused(
    db: Database, store: EvidenceStore, campaign: str, data: bytes, name: str, tally: Tally
) -> None:
    assert not _upload(db, store, campaign, name, data, tally)


@pytest.mark.parametrize("sample", SAMPLES)
def test_every_hostile_sample_as_a_name_is_stored_safely_or_refused(
    db: Database, store: EvidenceStore, campaign: str, sample: str, tally: Tally
) -> None:
    data = PDF + f"%{next(_serial)}\n".encode()
    if _upload(db, store, campaign, f"{sample}.pdf", data, tally):
        (item,) = [
            i
            for i in evidence.list_evidence(db, OPERATOR, campaign)
            if i.size == len(data) and store.path_of(i.sha256).read_bytes() == data
        ]
        assert "\u202e" not in item.filename  # the override cannot disguise the type


def test_a_long_name_is_cut_to_the_limit(
    db: Database, store: EvidenceStore, campaign: str, tally: Tally
) -> None:
    assert _upload(db, store, campaign, "長" * 5000 + ".pdf", PDF + b"%long\n", tally)


@pytest.fixture(autouse=True)
def _no_incoming_left(store: EvidenceStore) -> Iterator[None]:
    yield
    incoming = store.root / ".incoming"
    assert not incoming.exists() or list(incoming.iterdir()) == []
