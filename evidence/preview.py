"""Pictures of evidence for the browser: images as they are, the first page of a PDF rendered.

Rendering uses PDFium (pypdfium2), the engine of Chromium's PDF viewer. A file that cannot be
rendered gives ``None``: the user still downloads the original.
"""

from __future__ import annotations

import io

PREVIEW_WIDTH = 900  # pixels: enough to read a page of A4 text in the browser
MAX_SCALE = 3.0
IMAGE_TYPES = frozenset({"image/png", "image/jpeg"})


def can_preview(media_type: str) -> bool:
    return media_type in IMAGE_TYPES or media_type == "application/pdf"


def preview_png(data: bytes, media_type: str) -> bytes | None:
    """PNG bytes to show for a piece of evidence, or None when there is nothing to show."""
    if media_type in IMAGE_TYPES:
        return data
    if media_type != "application/pdf":
        return None
    return pdf_first_page(data)


def pdf_first_page(data: bytes, width: int = PREVIEW_WIDTH) -> bytes | None:
    """The first page of a PDF as a PNG ``width`` pixels wide; None if it cannot be read."""
    import pypdfium2 as pdfium  # noqa: PLC0415 -- only the evidence screens need it

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return None
    try:
        if len(pdf) == 0:
            return None
        page = pdf[0]
        page_width, _ = page.get_size()
        scale = min(MAX_SCALE, width / page_width) if page_width > 0 else 1.0
        image = page.render(scale=scale).to_pil()
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=False)
        return out.getvalue()
    except pdfium.PdfiumError:
        return None
    finally:
        pdf.close()
