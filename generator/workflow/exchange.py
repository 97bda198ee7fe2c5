"""Exchange with the provincial 事项管理系统: tables whose columns carry the national element names.

Three tables: 事项 (one row per item), 申请材料 and 办理环节 (one row per
material or step, keyed by 实施编码 and 序号).  The columns come from the
declarations in :mod:`generator.model`: each key's national element name (or
its Chinese title), a group such as 办结时限 spread over its fields (法定办结时限,
承诺办结时限), lists of texts one per line, and nested lists as JSON.

``export`` writes CSV (UTF-8 with BOM, one file per table), XLSX (one sheet
per table, with openpyxl) and JSON.  ``read_tables`` and ``items_from_tables``
read such tables back into plain item data, leaving out every empty cell (a
value the table does not state is not stated: no defaults), and report every
problem at its file, row and column.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..contract.spec import Boolean, Fees, Integer, ListOf, MapOf, Plain, Record, Required, Spec, TextOr
from ..contract.values import IDENT
from ..diagnostics import Diagnostic
from ..model import ITEM, Catalog
from ..read.check import check_bytes
from ..read.files import SKIPPED_FOLDERS, Found, read_bytes
from ..read.workbook import MAX_CELL, MAX_COLUMNS, MAX_UNPACKED, Refused, read_csv_rows, read_workbook
from ..render.tabular import csv_text, unquote, write_xlsx

TABLES = ("事项", "申请材料", "办理环节")
ITEM_ID = "事项标识"
DEPARTMENT_ID = "部门标识"
DEPARTMENT_NAME = "实施主体"
CODE = "实施编码"
ORDER = "序号"
MAX_ROWS = 20_000
"""More rows than a city publishes items (1,500–3,000) many times over; larger tables are refused."""
YES, NO = "是", "否"


@dataclass(frozen=True)
class Column:
    """One column of a table: its national name, where its value is in an item's data, and its spec."""

    name: str
    path: tuple[str, ...]
    spec: Spec


def columns(record: Record, prefix: tuple[str, ...] = (), label: str = "") -> list[Column]:
    """The columns of a record: groups (办结时限, 网上办理…) spread over their fields, everything else one column."""
    found: list[Column] = []
    for name, declared in record.keys.items():
        spec = declared.spec
        if isinstance(spec, Record):
            found += columns(spec, (*prefix, name), spec.title if spec.prefix else "")
        else:
            found.append(Column(label + declared.column, (*prefix, name), spec))
    return found


ITEM_COLUMNS = [c for c in columns(ITEM) if c.path[0] not in ("materials", "steps")]
MATERIAL_COLUMNS = columns(ITEM.keys["materials"].spec.item)  # type: ignore[attr-defined]
STEP_COLUMNS = columns(ITEM.keys["steps"].spec.item)  # type: ignore[attr-defined]
HEADERS = {
    "事项": [DEPARTMENT_ID, ITEM_ID, DEPARTMENT_NAME, *(c.name for c in ITEM_COLUMNS)],
    "申请材料": [DEPARTMENT_ID, ITEM_ID, CODE, ORDER, *(c.name for c in MATERIAL_COLUMNS)],
    "办理环节": [DEPARTMENT_ID, ITEM_ID, CODE, ORDER, *(c.name for c in STEP_COLUMNS)],
}
"""A material or step row names its item by 部门标识 and 事项标识 (an item need not have a 实施编码); tables from
other systems that name it by 实施编码 alone are read too."""
REQUIRED = {
    "事项": (DEPARTMENT_ID, ITEM_ID, "事项名称"),
    "申请材料": (ORDER, "材料名称", "是否必需"),
    "办理环节": (ORDER, "步骤 id", "环节名称"),
}


def mapping() -> list[tuple[str, str]]:
    """(our key path, national column) for every column: the README lists this table."""
    return (
        [(".".join(c.path), c.name) for c in ITEM_COLUMNS]
        + [(f"materials[].{'.'.join(c.path)}", c.name) for c in MATERIAL_COLUMNS]
        + [(f"steps[].{'.'.join(c.path)}", c.name) for c in STEP_COLUMNS]
    )


MAPPING_MARKERS = ("<!-- banshi:national-mapping -->", "<!-- /banshi:national-mapping -->")
"""Where a README holds the mapping table (``python -m generator schema`` writes it between them)."""


def mapping_table() -> str:
    """The mapping as a Markdown table, as the README shows it."""
    rows = "".join(f"| `{key}` | {column} |\n" for key, column in mapping())
    return f"| 键 | 列名 |\n|---|---|\n{rows}"


def with_mapping_table(readme: str) -> str:
    """``readme`` with the current mapping table between :data:`MAPPING_MARKERS` (unchanged without them)."""
    start, end = MAPPING_MARKERS
    if start not in readme or end not in readme:
        return readme
    before, rest = readme.split(start, 1)
    return f"{before}{start}\n{mapping_table()}{end}{rest.split(end, 1)[1]}"


# Cells ------------------------------------------------------------------------


def _complex(spec: Spec) -> bool:
    """Values kept as JSON text in a cell: lists of records, maps, fees, results written as records."""
    return isinstance(spec, MapOf | Fees | TextOr) or (isinstance(spec, ListOf) and isinstance(spec.item, Record))


def to_cell(spec: Spec, value: Plain) -> str | int:
    if value is None:
        return ""
    if isinstance(spec, Fees) and isinstance(value, str):
        return value
    if isinstance(spec, TextOr) and isinstance(value, dict) and list(value) == [spec.text_field]:
        return str(value[spec.text_field])
    if _complex(spec):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(spec, ListOf):
        return "\n".join(str(v) for v in value) if isinstance(value, list) else str(value)
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, int):
        return value
    return str(value)


def from_cell(spec: Spec, text: str) -> Plain:
    """The plain value of a cell, or ValueError with the reason (in Chinese)."""
    if isinstance(spec, Required) and text in (YES, NO):
        return text == YES
    if isinstance(spec, Boolean):
        if text in (YES, "true", "True"):
            return True
        if text in (NO, "false", "False"):
            return False
        raise ValueError(f"应为 {YES} 或 {NO}")
    if isinstance(spec, Integer):
        if not re.fullmatch(r"[0-9]{1,9}", text):
            raise ValueError("应为整数")
        return int(text)
    if isinstance(spec, Fees) and text in ("不收费", "免费"):
        return text
    if isinstance(spec, TextOr) and not text.startswith("{"):
        return {spec.text_field: text}
    if _complex(spec):
        try:
            value: Plain = json.loads(text)
        except ValueError:
            raise ValueError("应为 JSON（导出时的写法）") from None
        return value
    if isinstance(spec, ListOf):
        return [line.strip() for line in text.splitlines() if line.strip()]
    return text


def _put(data: dict[str, Plain], path: tuple[str, ...], value: Plain) -> None:
    for part in path[:-1]:
        child = data.setdefault(part, {})
        assert isinstance(child, dict)
        data = child
    data[path[-1]] = value


def _get(data: Mapping[str, Plain], path: tuple[str, ...]) -> Plain:
    current: Plain = dict(data)
    for part in path:
        if not isinstance(current, dict):
            return None
        current = current.get(part)
    return current


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


@dataclass(frozen=True)
class Imported:
    """One item read from the tables: where it goes, its YAML, and where it came from."""

    department: str
    id: str
    text: str
    file: str
    row: int


def items_from_tables(sheets: Sequence[Sheet]) -> tuple[list[Imported], list[Diagnostic], list[str]]:
    """The items of the tables as YAML, the problems (by file, row, column), and the columns that were not mapped."""
    by_table: dict[str, list[Sheet]] = {t: [s for s in sheets if s.table == t] for t in TABLES}
    tables = [sheet for found in by_table.values() for sheet in found]
    problems = [problem for sheet in tables for problem in _missing_columns(sheet)]
    unmapped = [f"{sheet.file}：{h}" for sheet in tables for h in _unmapped(sheet)]
    if sheets and not by_table["事项"]:
        problems.append(Diagnostic.of(sheets[0].file, (0, 0), "", "表格", "table_no_items"))
    if any(p.severity == "error" for p in problems):
        return [], problems, unmapped
    children = {t: _children(by_table[t], t, problems) for t in ("申请材料", "办理环节")}
    return _items(by_table["事项"], children, problems), problems, unmapped


def _items(
    sheets: list[Sheet], children: Mapping[str, Mapping[str, list[Plain]]], problems: list[Diagnostic]
) -> list[Imported]:
    """The item rows as items, each with its materials and steps; a row naming an item again is a problem."""
    imported: dict[tuple[str, str], Imported] = {}
    for sheet in sheets:
        for number, cells in sheet.rows:
            item = _item(sheet, number, cells, children, problems)
            first = imported.get((item.department, item.id)) if item else None
            if first is not None:
                problems.append(_duplicate(sheet, number, first))
            elif item is not None:
                imported[item.department, item.id] = item
    return list(imported.values())


def _missing_columns(sheet: Sheet) -> list[Diagnostic]:
    """The required columns a table lacks (a 材料 or 环节 table also needs the columns that name its item)."""
    table = sheet.table
    missing = [name for name in REQUIRED[table] if name not in sheet.header]
    linked = CODE in sheet.header or {DEPARTMENT_ID, ITEM_ID} <= set(sheet.header)
    if table != "事项" and not linked:
        missing.append(f"{DEPARTMENT_ID}、{ITEM_ID}（或 {CODE}）")
    where = (1, len(sheet.header) + 1)
    return [Diagnostic.of(sheet.file, where, "", name, "table_missing_column", table=table) for name in missing]


def _unmapped(sheet: Sheet) -> list[str]:
    """The columns of a table that the exchange format does not map (they are reported, not read)."""
    known = set(HEADERS[sheet.table]) | {DEPARTMENT_NAME}
    return [h for h in sheet.header if h and h not in known]


def _duplicate(sheet: Sheet, number: int, first: Imported) -> Diagnostic:
    """An item row whose 部门标识 and 事项标识 an earlier row already used."""
    where = (number, sheet.header.index(ITEM_ID) + 1)
    value = f"{first.department}/{first.id}"
    return Diagnostic.of(
        sheet.file, where, "", ITEM_ID, "table_duplicate_id", value=value, row=first.row, table=first.file
    )


def _children(sheets: list[Sheet], table: str, problems: list[Diagnostic]) -> dict[str, list[Plain]]:
    """Materials or steps by item (部门标识/事项标识, or 实施编码 when the row names only that), in 序号 order."""
    cols = MATERIAL_COLUMNS if table == "申请材料" else STEP_COLUMNS
    found: dict[str, list[tuple[int, dict[str, Plain]]]] = {}
    for sheet in sheets:
        index = {name: i for i, name in enumerate(sheet.header)}
        for number, cells in sheet.rows:
            data = _read_row(sheet, number, cells, cols, index, problems)
            department, item = _cell(cells, index, DEPARTMENT_ID), _cell(cells, index, ITEM_ID)
            key = f"{department}/{item}" if department and item else _cell(cells, index, CODE)
            order = _cell(cells, index, ORDER)
            found.setdefault(key, []).append((int(order) if order.isdigit() else 0, data))
    ordered: dict[str, list[Plain]] = {}
    for code, entries in found.items():
        ordered[code] = [d for _, d in sorted(entries, key=lambda e: e[0])]
    return ordered


def _cell(cells: list[str], index: Mapping[str, int], name: str) -> str:
    position = index.get(name)
    return cells[position].strip() if position is not None and position < len(cells) else ""


def _read_row(
    sheet: Sheet,
    number: int,
    cells: list[str],
    cols: list[Column],
    index: Mapping[str, int],
    problems: list[Diagnostic],
) -> dict[str, Plain]:
    data: dict[str, Plain] = {}
    for column in cols:
        text = _cell(cells, index, column.name)
        if not text:
            continue  # not stated: left out, never a default
        try:
            _put(data, column.path, from_cell(column.spec, text))
        except ValueError as reason:
            where = (number, index[column.name] + 1)
            problems.append(
                Diagnostic.of(sheet.file, where, "", column.name, "table_bad_cell", reason=str(reason), value=text[:40])
            )
    return data


def _item(
    sheet: Sheet,
    number: int,
    cells: list[str],
    children: Mapping[str, Mapping[str, list[Plain]]],
    problems: list[Diagnostic],
) -> Imported | None:
    index = {name: i for i, name in enumerate(sheet.header)}
    before = len(problems)
    data = _read_row(sheet, number, cells, ITEM_COLUMNS, index, problems)
    bad_cells = len(problems) > before
    department, item = _cell(cells, index, DEPARTMENT_ID), _cell(cells, index, ITEM_ID)
    keys = [f"{department}/{item}", str(data.get("code") or "")]
    materials = next((children["申请材料"][k] for k in keys if k and k in children["申请材料"]), None)
    data["materials"] = materials or []
    steps = next((children["办理环节"][k] for k in keys if k and k in children["办理环节"]), None)
    if steps is not None:
        data["steps"] = steps
    ordered = {name: data[name] for name in ITEM.keys if name in data}
    for name, value, what in ((DEPARTMENT_ID, department, "部门文件夹名"), (ITEM_ID, item, "事项文件名")):
        problem = _bad_id(value, what)
        if problem:
            where = (number, index[name] + 1)
            problems.append(Diagnostic.of(sheet.file, where, "", name, problem, value=value[:40], what=what))
            bad_cells = True
    text = _yaml(ordered, sheet.file, number)
    display = f"{department}/{item}.yml"
    checked, diagnostics = check_bytes(text.encode("utf-8"), "item", display)
    for d in diagnostics:
        if d.severity == "error":
            column = _column_of(d.key, index)
            problems.append(
                Diagnostic.of(sheet.file, (number, column), d.key, d.title, "table_invalid_item", message=d.message)
            )
    if checked.complete and not bad_cells:
        return Imported(department, item, text, sheet.file, number)
    return None


RESERVED_ITEMS = frozenset({"department", "site"})
"""Item ids that would be the department's or the site's own file."""


def _bad_id(value: str, what: str) -> str | None:
    """Why a table's department or item id cannot name a folder or file under ``--out``: the same rule as the
    names of files and folders (:data:`generator.contract.values.IDENT`), and not a reserved name."""
    if not IDENT.allows(value):
        return "table_bad_id"
    if value in (SKIPPED_FOLDERS if what == "部门文件夹名" else RESERVED_ITEMS):
        return "table_reserved_id"
    return None


def _column_of(key: str, index: Mapping[str, int]) -> int:
    top = key.split("[", 1)[0]
    for column in ITEM_COLUMNS:
        if ".".join(column.path) == top or column.path[0] == top.split(".", 1)[0]:
            return index.get(column.name, 0) + 1
    return 1


def _yaml(data: Mapping[str, Plain], file: str, row: int) -> str:
    header = (
        "# yaml-language-server: $schema=../schema/item.schema.json\n"
        f"# 由 python -m generator import 从 {file} 第 {row} 行导入。\n"
        "# 表格中没有写的要素这里也没有写，网站显示“未公布”；请核对后补充，不要猜测。\n"
    )
    return header + yaml.safe_dump(dict(data), allow_unicode=True, sort_keys=False, width=10_000)


def targets(items: Sequence[Imported], out: Path) -> list[Path]:
    """Where each item goes under ``out``; ValueError if one would land outside it (a link inside ``out``)."""
    root = out.resolve()
    found = []
    for item in items:
        target = out / item.department / f"{item.id}.yml"
        if not target.resolve().is_relative_to(root):
            raise ValueError(str(target))
        found.append(target)
    return found


def write_items(items: Sequence[Imported], paths: Sequence[Path]) -> None:
    for item, target in zip(items, paths, strict=True):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(item.text, encoding="utf-8")
