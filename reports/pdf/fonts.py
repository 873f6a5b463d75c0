"""The Japanese fonts every report embeds, found on this machine when the first PDF is made.

IPAexGothic (Debian/Ubuntu package ``fonts-ipaexfont``) is the body font; IPAexMincho, when it
is installed too, sets the public announcement the way Japanese legal text is usually set.
``KANSA_PDF_FONT`` may name another TrueType file (.ttf, or .ttc with ``#index``) to use
instead of IPAexGothic. The fonts are subset-embedded, so the PDF looks the same everywhere.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from core.errors import KansaError

FONT_ENV = "KANSA_PDF_FONT"
FONT_PACKAGE = "fonts-ipaexfont"
GOTHIC = "IPAexGothic"
MINCHO = "IPAexMincho"

GOTHIC_PATHS: tuple[str, ...] = (
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/truetype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
    "/usr/share/fonts/ipaexfont-gothic/ipaexg.ttf",
    "/usr/local/share/fonts/ipaexg.ttf",
    "~/.local/share/fonts/ipaexg.ttf",
    "~/.fonts/ipaexg.ttf",
    "/Library/Fonts/ipaexg.ttf",
    "~/Library/Fonts/ipaexg.ttf",
)
MINCHO_PATHS: tuple[str, ...] = (
    "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf",
    "/usr/share/fonts/truetype/ipaexfont-mincho/ipaexm.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-mincho.ttf",
    "/usr/share/fonts/ipaexfont-mincho/ipaexm.ttf",
    "/usr/local/share/fonts/ipaexm.ttf",
    "~/.local/share/fonts/ipaexm.ttf",
    "~/.fonts/ipaexm.ttf",
    "/Library/Fonts/ipaexm.ttf",
    "~/Library/Fonts/ipaexm.ttf",
)


class FontMissing(KansaError):
    """No usable Japanese font: the message says which package to install or what to fix."""


@dataclass(frozen=True, slots=True)
class ReportFonts:
    """Registered font names: ``sans`` for everything, ``serif`` for announcement text."""

    sans: str
    serif: str
    sans_path: str
    serif_path: str | None


_lock = threading.Lock()
_registered: dict[tuple[str, ...], ReportFonts] = {}


def _first_existing(paths: tuple[str, ...]) -> Path | None:
    for candidate in paths:
        path = Path(candidate).expanduser()
        if path.is_file():
            return path
    return None


def _load(name: str | None, path: Path, subfont: int = 0) -> str:
    """Register ``path`` (under ``name``, or the font's own name) and return the name."""
    try:
        font = TTFont(name or "KansaOverride", str(path), subfontIndex=subfont)
    except (TTFError, OSError) as exc:
        raise FontMissing(
            f"The font {path} cannot be used for PDF reports ({exc}). ReportLab needs a "
            f"TrueType font (.ttf or .ttc, not a CFF-based .otf); install {FONT_PACKAGE} "
            f"or point {FONT_ENV} at another TrueType file."
        ) from exc
    if name is None:
        face = font.face.name
        name = face.decode("latin-1") if isinstance(face, bytes) else str(face)
        font.fontName = name
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(font)
        # IPAex fonts have one weight: map bold/italic markup to the same face so a
        # <b> in our own labels never fails.
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(name, bold, italic, name)
    return name


def _override() -> tuple[Path, int] | None:
    value = os.environ.get(FONT_ENV, "").strip()
    if not value:
        return None
    path_text, _, index = value.partition("#")
    path = Path(path_text).expanduser()
    if not path.is_file():
        raise FontMissing(
            f"{FONT_ENV} is set to {value!r}, but there is no such file. Unset it to use "
            f"IPAexGothic from the {FONT_PACKAGE} package, or name an existing .ttf file."
        )
    return path, int(index) if index.isdigit() else 0


def register_fonts(
    gothic_paths: tuple[str, ...] = GOTHIC_PATHS, mincho_paths: tuple[str, ...] = MINCHO_PATHS
) -> ReportFonts:
    """Register the report fonts once per process and return their names.

    Raises :class:`FontMissing` naming the package to install when no Japanese font is found.
    """
    override = _override()
    key = (str(override), *gothic_paths, *mincho_paths)
    with _lock:
        if key in _registered:
            return _registered[key]
        if override is not None:
            path, subfont = override
            sans = _load(None, path, subfont)
        else:
            found = _first_existing(gothic_paths)
            if found is None:
                raise FontMissing(
                    "PDF reports need the Japanese font IPAexGothic, which is not installed. "
                    f"Install it with `apt-get install {FONT_PACKAGE}` (Debian/Ubuntu), or set "
                    f"{FONT_ENV} to the path of a TrueType font with Japanese glyphs. "
                    f"Looked in: {', '.join(gothic_paths)}"
                )
            path = found
            sans = _load(GOTHIC, path)
        serif_path = _first_existing(mincho_paths) if override is None else None
        serif = _load(MINCHO, serif_path) if serif_path is not None else sans
        fonts = ReportFonts(
            sans=sans,
            serif=serif,
            sans_path=str(path),
            serif_path=None if serif_path is None else str(serif_path),
        )
        _registered[key] = fonts
        return fonts
