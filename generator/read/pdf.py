"""The page size of a department's blank form PDF, for the A4 warning; read with pypdf, nothing rendered."""

from __future__ import annotations

import logging
from pathlib import Path

A4 = (595.28, 841.89)
"""Width and height of an A4 page in PostScript points."""
TOLERANCE = 3.0
"""Points either way: PDF writers round A4 differently (595 × 842, 595.2 × 841.8…)."""


def pdf_page_size(path: Path) -> tuple[float, float] | None:
    """The size in points of the first page that is not A4, else of the first page; None when unreadable."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # a damaged file is the department's to fix, not noise here
    try:
        reader = PdfReader(path, strict=False)
        sizes = [(float(page.mediabox.width), float(page.mediabox.height)) for page in reader.pages]
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None
    if not sizes:
        return None
    return next((size for size in sizes if not is_a4(size)), sizes[0])


def is_a4(size: tuple[float, float]) -> bool:
    """Whether a page is A4, upright or on its side."""
    width, height = sorted(size)
    return abs(width - A4[0]) <= TOLERANCE and abs(height - A4[1]) <= TOLERANCE
