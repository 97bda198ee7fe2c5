"""The three tables written (CSV, XLSX, JSON) and read back (CSV, XLSX), with every problem at its file, row
and column."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ...contract.spec import Plain
from ...diagnostics import Diagnostic
from ...model import Catalog
from ...read.check import check_bytes
from ...read.files import Found, read_bytes
from ...read.workbook import MAX_CELL, MAX_COLUMNS, MAX_UNPACKED, Refused, read_csv_rows, read_workbook
from ...render.tabular import csv_text, unquote, write_xlsx
from .cells import (
    _get,
    to_cell,
)
from .columns import (
    HEADERS,
    ITEM_COLUMNS,
    MATERIAL_COLUMNS,
    MAX_ROWS,
    STEP_COLUMNS,
    TABLES,
)

# Export -------------------------------------------------------------------------


@dataclass
class Tables:
    """The rows of the three tables (cells as text or numbers)."""

    rows: dict[str, list[list[str | int]]] = field(default_factory=lambda: {t: [] for t in TABLES})


def tables(catalog: Catalog, root: Path, base: Path) -> Tables:
    """Every item of a valid catalog as table rows, from each file's checked data."""
    result = Tables()
    for p in catalog.procedures:
        data = _checked_data(root / p.department / f"{Path(p.source).name}", p.source)
        department = catalog.department(p.department)
        result.rows["事项"].append(
            [p.department, p.id, department.name, *(to_cell(c.spec, _get(data, c.path)) for c in ITEM_COLUMNS)]
        )
        for table, key, cols in (("申请材料", "materials", MATERIAL_COLUMNS), ("办理环节", "steps", STEP_COLUMNS)):
            entries = data.get(key) or []
            assert isinstance(entries, list)
            for index, entry in enumerate(entries, start=1):
                assert isinstance(entry, dict)
                cells = (to_cell(c.spec, _get(entry, c.path)) for c in cols)
                result.rows[table].append([p.department, p.id, p.code or "", index, *cells])
    return result


def _checked_data(path: Path, display: str) -> dict[str, Plain]:
    data = read_bytes(Found(path, "item", display))
    assert isinstance(data, bytes), "a valid catalog's files are readable"
    checked, _ = check_bytes(data, "item", display)
    assert checked.data is not None
    return checked.data


def write(result: Tables, out: Path) -> list[Path]:
    """CSV per table (UTF-8 with BOM), one XLSX workbook and one JSON file; return the paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for table in TABLES:
        target = out / f"{table}.csv"
        target.write_text(csv_text(HEADERS[table], result.rows[table]), encoding="utf-8")
        written.append(target)
    write_xlsx(out / "事项.xlsx", {table: (HEADERS[table], result.rows[table]) for table in TABLES})
    written.append(out / "事项.xlsx")
    payload = {table: [dict(zip(HEADERS[table], row, strict=True)) for row in result.rows[table]] for table in TABLES}
    (out / "事项.json").write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    written.append(out / "事项.json")
    return written


# Import -------------------------------------------------------------------------


@dataclass
class Sheet:
    """One table as read from a file: its header and rows, with where they came from."""

    file: str
    table: str
    header: list[str]
    rows: list[tuple[int, list[str]]]
    """(row number in the file, cells)."""


def _which(header: Sequence[str]) -> str | None:
    names = set(header)
    if "材料名称" in names:
        return "申请材料"
    if "环节名称" in names:
        return "办理环节"
    if "事项名称" in names:
        return "事项"
    return None


def read_tables(paths: Sequence[Path], base: Path) -> tuple[list[Sheet], list[Diagnostic]]:
    """Every table in the given CSV and XLSX files; problems of the files themselves as diagnostics."""
    sheets: list[Sheet] = []
    problems: list[Diagnostic] = []
    for path in paths:
        shown = _display(path, base)
        reader = _read_xlsx if path.suffix.lower() in (".xlsx", ".xlsm") else _read_csv
        found, found_problems = reader(path, shown)
        sheets += found
        problems += found_problems
    return sheets, problems


def _display(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _read_csv(path: Path, shown: str) -> tuple[list[Sheet], list[Diagnostic]]:
    problems: list[Diagnostic] = []
    try:
        size = path.stat().st_size
        if size > MAX_UNPACKED:
            return [], [_refused(shown, Refused("too_big", detail=f"{size / 1024**2:.0f} MiB"))]
        data = path.read_bytes()
    except OSError as error:
        return [], [Diagnostic.of(shown, (0, 0), "", "文件", "unreadable", reason=error.strerror or str(error))]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gbk")
        except UnicodeDecodeError:
            return [], [Diagnostic.of(shown, (0, 0), "", "编码", "table_encoding")]
        problems.append(Diagnostic.of(shown, (1, 1), "", "编码", "table_gbk").warning())
    try:
        rows = read_csv_rows(text, MAX_ROWS)
    except Refused as refused:
        return [], [*problems, _refused(shown, refused)]
    if not rows:
        return [], [*problems, Diagnostic.of(shown, (1, 1), "", "文件", "table_empty")]
    return _sheet(shown, rows, problems, formulas=lambda r, c, v: v.startswith("=") and not v.startswith("'"))


Formula = Callable[[int, int, str], bool]
"""Whether the cell at (row, column) with this text is a formula."""


def _sheet(
    shown: str, rows: list[list[str]], problems: list[Diagnostic], formulas: Formula, sheet_name: str = ""
) -> tuple[list[Sheet], list[Diagnostic]]:
    header = [h.strip() for h in rows[0]]
    table = _which(header)
    if table is None:
        sheet = f"（工作表 {sheet_name}）" if sheet_name else ""
        return [], [*problems, Diagnostic.of(shown, (1, 1), "", "表头", "table_unknown", sheet=sheet)]
    body = []  # the readers stop at MAX_ROWS as they read (generator.read.workbook)
    for number, row in enumerate(rows[1:], start=2):
        cells = [unquote(cell) for cell in row]
        for column, cell in enumerate(row, start=1):
            if formulas(number, column, cell):
                name = header[column - 1] if column <= len(header) else ""
                problems.append(Diagnostic.of(shown, (number, column), "", name, "table_formula", value=cell[:40]))
        if any(c.strip() for c in cells):
            body.append((number, cells))
    return [Sheet(shown, table, header, body)], problems


def _read_xlsx(path: Path, shown: str) -> tuple[list[Sheet], list[Diagnostic]]:
    """Every sheet, streamed (see :mod:`generator.read.workbook`): a table that is too big is refused whole."""
    sheets: list[Sheet] = []
    problems: list[Diagnostic] = []
    try:
        for sheet in read_workbook(path, MAX_ROWS):
            rows: list[list[str]] = []
            formula_cells: set[tuple[int, int]] = set()
            for number, cells, formulas in sheet.rows():
                rows.append(cells)
                formula_cells.update((number, column) for column in formulas)
            for row, column, merged in sheet.merged():
                problems.append(Diagnostic.of(shown, (row, column), "", sheet.title, "table_merged", cells=merged))
            if not rows:
                continue

            def is_formula(row: int, column: int, _: str, found: set[tuple[int, int]] = formula_cells) -> bool:
                return (row, column) in found

            found, found_problems = _sheet(shown, rows, [], formulas=is_formula, sheet_name=sheet.title)
            sheets += found
            problems += found_problems
    except Refused as refused:
        return [], [*problems, _refused(shown, refused)]
    return sheets, problems


def _refused(shown: str, refused: Refused) -> Diagnostic:
    """A table :mod:`generator.read.workbook` would not read, in words."""
    where = (refused.row, refused.column)
    title = refused.sheet or "表格"
    if refused.code == "too_long":
        return Diagnostic.of(shown, where, "", title, "table_too_long", limit=MAX_ROWS)
    if refused.code == "cell_too_big":
        return Diagnostic.of(shown, where, "", title, "table_cell_too_big", limit=f"{MAX_CELL // 1024} KiB")
    if refused.code == "too_wide":
        return Diagnostic.of(shown, where, "", title, "table_too_wide", limit=MAX_COLUMNS)
    if refused.code == "too_big":
        limit = f"{MAX_UNPACKED // 1024**2} MiB"
        return Diagnostic.of(shown, where, "", "文件", "table_too_big", size=refused.detail, limit=limit)
    return Diagnostic.of(shown, where, "", "文件", "table_unreadable", reason=refused.detail)
