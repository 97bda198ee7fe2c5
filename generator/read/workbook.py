"""Reading untrusted tables (XLSX workbooks and CSV text) without trusting what they say about their own size.

An XLSX file is a zip of XML: a few kilobytes can unpack to gigabytes, and the row count a sheet declares may be
missing or false.  So a workbook is refused before it is opened when its members unpack to more than
``MAX_UNPACKED``, and its sheets are read in openpyxl's streaming (read-only) mode, row by row, stopping at the
first row past the caller's limit, the first row wider than ``MAX_COLUMNS`` and the first cell longer than
``MAX_CELL``.  Merged cells, which streaming mode does not report, are read from the sheet's XML the same way.

Problems are raised as :class:`Refused` with a message id; each caller (``import``, ``records``) words it.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

MAX_CELL = 128 * 1024
"""Characters in one cell: far more than any item text; a longer cell is refused where it is."""
MAX_COLUMNS = 1024
MAX_UNPACKED = 256 * 1024**2
"""Bytes a workbook's members may unpack to (the zip directory's sizes bound what zipfile will unpack)."""


@dataclass(frozen=True)
class Refused(Exception):
    """Why a table cannot be read: ``code`` is ``too_big``, ``too_long``, ``too_wide``, ``cell_too_big`` or
    ``unreadable``; ``row`` and ``column`` locate it (1-based; 0 when it is the whole file)."""

    code: str
    row: int = 0
    column: int = 0
    sheet: str = ""
    detail: str = ""


class Worksheet:
    """One sheet of a workbook being read: its rows as text, streamed, then its merged ranges."""

    def __init__(self, sheet: object, archive: zipfile.ZipFile, max_rows: int) -> None:
        self.title = str(getattr(sheet, "title", ""))
        self._sheet, self._archive, self._max_rows = sheet, archive, max_rows

    def rows(self) -> Iterator[tuple[int, list[str], list[int]]]:
        """(row number, cell texts, columns holding a formula) for each row, as they are read."""
        try:
            yield from self._rows()
        except Refused:
            raise
        except Exception as error:  # a damaged member shows only when it is read
            raise Refused("unreadable", sheet=self.title, detail=type(error).__name__) from error

    def _rows(self) -> Iterator[tuple[int, list[str], list[int]]]:
        reset = getattr(self._sheet, "reset_dimensions", None)
        if reset is None:  # a chart sheet: no cells
            return
        reset()  # the declared size may be missing or false: read the rows that are there
        for number, row in enumerate(self._sheet.iter_rows(), start=1):  # type: ignore[attr-defined]
            if number > self._max_rows + 1:
                raise Refused("too_long", row=number, column=1, sheet=self.title)
            if len(row) > MAX_COLUMNS:
                raise Refused("too_wide", row=number, column=MAX_COLUMNS + 1, sheet=self.title)
            texts, formulas = [], []
            for column, cell in enumerate(row, start=1):
                text = cell_text(getattr(cell, "value", None))
                if len(text) > MAX_CELL:
                    raise Refused("cell_too_big", row=number, column=column, sheet=self.title)
                if getattr(cell, "data_type", None) == "f":
                    formulas.append(column)
                texts.append(text)
            yield number, texts, formulas

    def merged(self) -> list[tuple[int, int, str]]:
        """(first row, first column, range such as ``A1:B2``) of each merged range."""
        member = getattr(self._sheet, "_worksheet_path", None)  # where openpyxl's streaming sheet reads from
        try:
            return list(_merged(self._archive, str(member))) if member else []
        except Exception as error:  # damaged XML, or a range that is not one
            raise Refused("unreadable", sheet=self.title, detail=type(error).__name__) from error


def read_workbook(path: Path, max_rows: int, first_only: bool = False) -> Iterator[Worksheet]:
    """Each sheet of the workbook at ``path`` (only the first with ``first_only``); raises :class:`Refused`,
    also while its rows are read."""
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise Refused("unreadable", detail=type(error).__name__) from error
    if unpacked > MAX_UNPACKED:
        raise Refused("too_big", detail=f"{unpacked / 1024**2:.0f} MiB")
    try:
        book = load_workbook(path, read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds (zip, XML, key errors) for a damaged file
        raise Refused("unreadable", detail=type(error).__name__) from error
    try:
        with zipfile.ZipFile(path) as archive:
            for sheet in book.worksheets[:1] if first_only else book.worksheets:
                yield Worksheet(sheet, archive, max_rows)
    except Refused:
        raise
    except Exception as error:  # a damaged member shows only when it is read
        raise Refused("unreadable", detail=type(error).__name__) from error
    finally:
        book.close()


def _merged(archive: zipfile.ZipFile, member: str) -> Iterator[tuple[int, int, str]]:
    """The merged ranges a sheet's XML declares, read as a stream."""
    from openpyxl.utils.cell import range_boundaries

    with archive.open(member.lstrip("/")) as source:
        for _, element in ElementTree.iterparse(source):
            if element.tag.endswith("}mergeCell"):
                ref = element.get("ref", "")
                first_column, first_row, _, _ = range_boundaries(ref)
                yield first_row or 1, first_column or 1, ref
            element.clear()


def cell_text(value: object) -> str:
    """A cell's value as the text it shows: whole numbers without ``.0``, dates as ISO text, empty as ''."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return str(value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat())
    return str(value)


def read_csv_rows(text: str, max_rows: int) -> list[list[str]]:
    """The rows of CSV ``text``; raises :class:`Refused` at the first row past ``max_rows`` or cell over
    ``MAX_CELL`` (the standard library would stop at its own 128 KiB field limit with an exception)."""
    rows: list[list[str]] = []
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, len(text) + 1))
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
            if number > max_rows + 1:
                raise Refused("too_long", row=number, column=1)
            for column, cell in enumerate(row, start=1):
                if len(cell) > MAX_CELL:
                    raise Refused("cell_too_big", row=number, column=column)
            rows.append(row)
    except csv.Error as error:
        raise Refused("unreadable", detail=str(error)) from error
    finally:
        csv.field_size_limit(limit)
    return rows
