"""Rows of the read tables → items as YAML files: each item with its materials and steps, and nothing that the
table does not state."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from ...contract.spec import Plain
from ...contract.values import IDENT
from ...diagnostics import Diagnostic
from ...model import ITEM
from ...read.check import check_bytes
from ...read.files import SKIPPED_FOLDERS
from .cells import (
    _put,
    from_cell,
)
from .columns import (
    CODE,
    DEPARTMENT_ID,
    DEPARTMENT_NAME,
    HEADERS,
    ITEM_COLUMNS,
    ITEM_ID,
    MATERIAL_COLUMNS,
    ORDER,
    REQUIRED,
    STEP_COLUMNS,
    TABLES,
    Column,
)
from .tables import (
    Sheet,
)


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
