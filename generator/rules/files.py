"""The checks of an item's files: blank forms, samples and result samples exist in the department's forms/ folder
(only that folder is published), and a PDF form is A4."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic
from ..model import Procedure
from ..read.pdf import is_a4, pdf_page_size

if TYPE_CHECKING:
    from .item import ItemCheck


def check_files(check: ItemCheck) -> Iterator[Diagnostic]:
    """Forms and samples exist in the department's forms/ folder (only that folder is published)."""
    department = check.procedure.department
    folder = (check.root / department / "forms").resolve()
    for key, value in _named_files(check.procedure):
        if not value.startswith("forms/") or not inside_and_exists(folder, value.removeprefix("forms/")):
            yield check.error(key, "file_missing", value=value, folder=f"procedures/{department}/forms")
        elif value.lower().endswith(".pdf"):
            size = pdf_page_size(folder / value.removeprefix("forms/"))
            if size is not None and not is_a4(size):
                width, height = (round(v * 25.4 / 72) for v in size)
                yield check.warning(key, "form_not_a4", value=value, size=f"{width}×{height} mm")


def _named_files(p: Procedure) -> list[tuple[str, str]]:
    """The files an item names, with their keys: blank forms and samples of materials, the result's sample."""
    named = [
        (f"materials[{index}].{name}", getattr(material, name))
        for index, material in enumerate(p.materials)
        for name in ("form", "sample")
    ]
    named.append(("result.sample", p.result.sample if p.result else None))
    return [(key, value) for key, value in named if value]


def inside_and_exists(folder: Path, relative: str) -> bool:
    try:
        target = (folder / relative).resolve()
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL byte
        return False
    return target.is_relative_to(folder) and target.is_file()
