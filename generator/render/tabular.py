"""The one writer of every CSV and XLSX file the project publishes or exports.

A spreadsheet program runs a cell that begins with ``=``, ``+``, ``-`` or ``@``
as a formula (and some treat a leading tab or carriage return the same way), so
a hostile item name could run code on the reader's computer (CSV injection).
Every text cell passes :func:`safe`: such a cell gets a leading apostrophe in
CSV, and the "quote prefix" flag (shown as text, never calculated) in XLSX.
Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

Cell = str | int | float | None
RISKY = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula."""


def risky(text: str) -> bool:
    return text.startswith(RISKY)


def safe(value: Cell) -> str | int | float:
    """A cell for CSV: text that could start a formula gets a leading apostrophe (import removes it again)."""
    if value is None:
        return ""
    if isinstance(value, str) and risky(value):
        return "'" + value
    return value


def unquote(text: str) -> str:
    """A cell as it was written before :func:`safe`."""
    return text[1:] if text[:1] == "'" and risky(text[1:]) else text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """UTF-8 CSV with a byte-order mark (so that Excel reads it as UTF-8) and CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe(h) for h in header])
    writer.writerows([safe(v) for v in row] for row in rows)
    return "\ufeff" + out.getvalue()


def write_xlsx(path: Path, sheets: Mapping[str, tuple[Sequence[str], Iterable[Sequence[Cell]]]]) -> None:
    """One workbook, a sheet per table; text is always text (quote prefix), never a formula."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, (header, rows) in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append(list(header))
        for row in rows:
            sheet.append(["" if v is None else v for v in row])
        for cells in sheet.iter_rows():
            for cell in cells:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
                    if risky(cell.value):
                        cell.quotePrefix = True
    book.save(path)
