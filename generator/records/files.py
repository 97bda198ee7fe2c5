"""The service system's exports: find them, check them as files, and hand each to the engine as UTF-8 CSV.

Exports come as CSV (UTF-8, or GBK as Excel writes it; ``.csv.gz`` too) or
XLSX.  A file is refused whole when it cannot be a table of cases: too big,
empty, unreadable, merged or formula cells, no recognisable header.  Which
table a file is (办件 or 效能投诉) is told by its header.  Columns that look like
personal data are never read; the aggregates are all that is ever published.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ..diagnostics import Diagnostic
from ..read.workbook import MAX_CELL, MAX_COLUMNS, MAX_UNPACKED, Refused, read_csv_rows, read_workbook
from .columns import CASE_REQUIRED, COMPLAINT_REQUIRED, Columns

MAX_BYTES = 1024**3
"""1 GiB: a year of a large city is about 150 MB; anything bigger should be split by month."""
MAX_ROWS = 1_048_575
"""The rows of a worksheet below its header (the most Excel holds)."""
SUFFIXES = (".csv", ".csv.gz", ".xlsx")
PERSONAL_HEADER = re.compile(r"姓名|名字|身份证|证件号|手机|电话|联系方式|住址|家庭地址|出生")
PERSONAL_VALUE = re.compile(r"(?<!\d)(?:\d{17}[\dXx]|1[3-9]\d{9})(?!\d)")
"""A 居民身份证号 or a mobile number."""

TableKind = Literal["cases", "complaints"]


@dataclass
class Table:
    """One export, ready for the engine: a UTF-8 CSV file and how its header maps to the canonical columns."""

    number: int
    """Its place among the exports read together (the engine's table f<number>)."""
    display: str
    kind: TableKind
    csv: Path
    header: list[str]
    columns: dict[str, int] = field(default_factory=dict)
    """Canonical column name → position in the header (0-based)."""
    personal: list[int] = field(default_factory=list)
    """Positions of columns left out because they look like personal data."""


def find(folder: Path) -> list[Path]:
    """The export files in ``folder`` (not below it), by name; links and special files are left alone."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.name.lower().endswith(SUFFIXES):
            continue
        if stat.S_ISREG(path.lstat().st_mode):
            found.append(path)
    return found


def prepare(
    path: Path, display: str, number: int, work: Path, columns: Columns
) -> tuple[Table | None, list[Diagnostic]]:
    """Check one export as a file and write it as UTF-8 CSV into ``work``; None when it cannot be used."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        return None, [_at(display, 0, 0, "records_too_big", size=_mib(size), limit=_mib(MAX_BYTES))]
    if size == 0:
        return None, [_at(display, 0, 0, "records_empty")]
    target = work / f"{number}.csv"
    if path.name.lower().endswith(".xlsx"):
        problems = _xlsx_to_csv(path, display, target)
    else:
        problems = _csv_to_utf8(path, display, target)
    if any(p.severity == "error" for p in problems):
        return None, problems
    with target.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle), [])
    header = [h.strip().lstrip("\ufeff") for h in header]
    if not any(header):
        return None, [*problems, _at(display, 1, 1, "records_empty")]
    table, found = _table(number, display, target, header, columns)
    return table, problems + found


def _table(
    number: int, display: str, path: Path, header: list[str], columns: Columns
) -> tuple[Table | None, list[Diagnostic]]:
    where = {name: header.index(h) for name, h in columns.headers.items() if h in header}
    kind: TableKind
    required: tuple[str, ...]
    if "complaint" in where:
        kind, required = "complaints", COMPLAINT_REQUIRED
    elif "case" in where or "code" in where:
        kind, required = "cases", CASE_REQUIRED
    else:
        case, complaint = columns.headers["case"], columns.headers["complaint"]
        return None, [_at(display, 1, 1, "records_unknown_table", case=case, complaint=complaint)]
    problems = [
        Diagnostic.of(display, (1, len(header) + 1), name, columns.headers[name], "records_missing_column")
        for name in required
        if name not in where
    ]
    if problems:
        return None, problems
    table = Table(number, display, kind, path, header, where)
    known = set(where.values())
    samples = _samples(path, len(header))
    for index, name in enumerate(header):
        if index in known:
            continue
        what = (
            "的名称表明是个人信息"
            if PERSONAL_HEADER.search(name)
            else "的内容像身份证号或手机号"
            if samples[index]
            else ""
        )
        if what:
            table.personal.append(index)
            problems.append(Diagnostic.of(display, (1, index + 1), "", name, "records_personal", what=what).warning())
    return table, problems


def _samples(path: Path, width: int, rows: int = 200) -> list[bool]:
    """Per column, whether any of the first rows holds something like an ID or mobile number."""
    found = [False] * width
    with path.open(encoding="utf-8", newline="") as handle:
        head = "".join(line for _, line in zip(range(rows + 1), handle, strict=False))
    try:
        sample = read_csv_rows(head, rows)
    except Refused:  # a cell too long to be data: the engine reports it where it is
        return found
    for row in sample[1:]:
        for index, cell in enumerate(row[:width]):
            if not found[index] and PERSONAL_VALUE.search(cell):
                found[index] = True
    return found


def _csv_to_utf8(path: Path, display: str, target: Path) -> list[Diagnostic]:
    """Copy a CSV as UTF-8: as it is when it is UTF-8, decoded from GBK (with a warning) otherwise."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rb") as raw:
            head = raw.read(1 << 20)
    except (OSError, EOFError) as error:
        return [_at(display, 0, 0, "records_unreadable", reason=type(error).__name__)]
    encoding = _encoding(head)
    if encoding is None:
        return [_at(display, 1, 1, "records_encoding")]
    problems = [_at(display, 1, 1, "records_gbk").warning()] if encoding == "gbk" else []
    try:
        with opener(path, "rb") as raw, target.open("w", encoding="utf-8", newline="") as out:
            decoder = codecs.getincrementaldecoder("utf-8-sig" if encoding == "utf-8" else "gbk")(errors="strict")
            for chunk in iter(lambda: raw.read(1 << 20), b""):
                out.write(decoder.decode(chunk))
            out.write(decoder.decode(b"", final=True))
    except UnicodeDecodeError:
        return [_at(display, 1, 1, "records_encoding")]
    except (OSError, EOFError) as error:
        return [_at(display, 0, 0, "records_unreadable", reason=type(error).__name__)]
    return problems


def _encoding(head: bytes) -> str | None:
    """utf-8 or gbk, judged on the first megabyte (a cut multi-byte character at its end is forgiven)."""
    for encoding in ("utf-8", "gbk"):
        try:
            head.decode(encoding)
            return encoding
        except UnicodeDecodeError as error:
            if error.start >= len(head) - 3:  # the chunk ends inside a character
                return encoding
    return None


def _xlsx_to_csv(path: Path, display: str, target: Path) -> list[Diagnostic]:
    """The first sheet of a workbook as CSV, streamed (:mod:`generator.read.workbook`); merged and formula cells
    are refused (their values are not data)."""
    problems = []
    try:
        with target.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            for sheet in read_workbook(path, MAX_ROWS, first_only=True):
                for number, cells, formulas in sheet.rows():
                    for column in formulas:
                        value = cells[column - 1][:40]
                        problems.append(_at(display, number, column, "records_formula", value=value))
                    writer.writerow(cells)
                problems += [
                    _at(display, row, column, "records_merged", cells=cells) for row, column, cells in sheet.merged()
                ]
    except Refused as refused:
        return [_refused(display, refused)]
    return problems


def _refused(display: str, refused: Refused) -> Diagnostic:
    where = (refused.row, refused.column)
    if refused.code == "too_big":
        return _at(display, 0, 0, "records_unpacks_too_big", size=refused.detail, limit=_mib(MAX_UNPACKED))
    if refused.code in ("too_long", "too_wide", "cell_too_big"):
        return _at(display, *where, "records_unreadable", reason=REFUSED[refused.code])
    return _at(display, *where, "records_unreadable", reason=refused.detail)


REFUSED = {
    "too_long": f"超过 {MAX_ROWS:,} 行",
    "too_wide": f"超过 {MAX_COLUMNS} 列",
    "cell_too_big": f"单元格超过 {MAX_CELL // 1024} KiB",
}


def _at(display: str, row: int, column: int, code: str, **values: object) -> Diagnostic:
    return Diagnostic.of(display, (row, column), "", "文件", code, **values)


def _mib(size: int) -> str:
    return f"{size / 1024**3:.1f} GiB" if size >= 1024**3 else f"{size / 1024**2:.0f} MiB"
