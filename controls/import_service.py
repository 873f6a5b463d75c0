"""Importing catalogues in any supported format: Kansa YAML, CISO Assistant libraries and OSCAL
catalogs, detected from the content (or named by the caller)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from auth.model import Permission, Principal
from auth.permissions import public, requires
from controls import service as catalogues
from controls.importers.detect import FORMATS, MAX_FOREIGN_BYTES, Format, detect_format
from controls.model import ImportResult, LoadedCatalogue
from core.errors import Issue, ValidationFailed
from storage.db import Database

if TYPE_CHECKING:
    from controls.importers.common import MappingReport


@dataclass(frozen=True, slots=True)
class ReadCatalogue:
    """A validated catalogue from a file, with its format and (for foreign formats) the report
    of what was mapped and dropped."""

    loaded: LoadedCatalogue
    format: Format
    report: MappingReport | None


def _refuse(file: str, message: str) -> ValidationFailed:
    return ValidationFailed([Issue(file, 1, "(file)", message)])


@public
def read_catalogue(path: Path, fmt: str | None = None) -> ReadCatalogue:
    """Read and validate a catalogue file of any supported format (nothing is stored)."""
    file = str(path)
    if fmt is not None and fmt not in FORMATS:
        raise _refuse(file, f"unknown format {fmt!r} (use one of {', '.join(FORMATS)})")
    if fmt == "kansa":
        (loaded,) = catalogues.validate_files([path])
        return ReadCatalogue(loaded, "kansa", None)
    try:
        if path.stat().st_size > MAX_FOREIGN_BYTES:
            raise _refuse(
                file,
                f"file is larger than {MAX_FOREIGN_BYTES // 1_048_576} MB, the most an imported "
                "framework may be",
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise _refuse(file, f"cannot read: {exc.strerror}") from exc
    found = cast(Format, fmt) if fmt is not None else detect_format(raw)
    if found is None:
        raise _refuse(
            file,
            "cannot tell the format: expected a Kansa catalogue (domains: ...), a CISO "
            "Assistant library (objects: framework: ...) or an OSCAL catalog "
            '({"catalog": ...}); name it with --format kansa|ciso|oscal',
        )
    if found == "kansa":
        (loaded,) = catalogues.validate_files([path])
        return ReadCatalogue(loaded, "kansa", None)
    if found == "ciso":
        from controls.importers.ciso_assistant import import_ciso  # noqa: PLC0415 -- pydantic

        loaded, report = import_ciso(raw, file)
    else:
        from controls.importers.oscal import import_oscal  # noqa: PLC0415 -- pydantic

        loaded, report = import_oscal(raw, file)
    return ReadCatalogue(loaded, found, report)


@requires(Permission.CATALOGUE_IMPORT)
def import_any(
    db: Database, actor: Principal, path: Path, fmt: str | None = None
) -> tuple[ImportResult, ReadCatalogue]:
    """Validate a file of any supported format, then store it as a catalogue version.

    Two phases as for our own YAML: nothing is written unless the whole file is valid.
    """
    read = read_catalogue(path, fmt)
    return catalogues.import_catalogue(db, actor, read.loaded), read
