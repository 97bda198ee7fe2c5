"""The exchange tables' columns: one per declared key (a group spread over its fields), and the mapping of
our keys to the national element names."""

from __future__ import annotations

from dataclasses import dataclass

from ...contract.spec import Record, Spec
from ...model import ITEM

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
