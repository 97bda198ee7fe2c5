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

The package: :mod:`.columns`, :mod:`.cells`, :mod:`.tables` (export and reading) and :mod:`.items`
(import); this module names what the commands use.
"""

from __future__ import annotations

from .cells import (
    from_cell,
    to_cell,
)
from .columns import (
    CODE,
    DEPARTMENT_ID,
    DEPARTMENT_NAME,
    HEADERS,
    ITEM_COLUMNS,
    ITEM_ID,
    MAPPING_MARKERS,
    MATERIAL_COLUMNS,
    MAX_ROWS,
    ORDER,
    REQUIRED,
    STEP_COLUMNS,
    TABLES,
    Column,
    columns,
    mapping,
    mapping_table,
    with_mapping_table,
)
from .items import (
    RESERVED_ITEMS,
    Imported,
    items_from_tables,
    targets,
    write_items,
)
from .tables import (
    Formula,
    Sheet,
    Tables,
    read_tables,
    tables,
    write,
)

__all__ = [
    "CODE",
    "DEPARTMENT_ID",
    "DEPARTMENT_NAME",
    "HEADERS",
    "ITEM_COLUMNS",
    "ITEM_ID",
    "MAPPING_MARKERS",
    "MATERIAL_COLUMNS",
    "MAX_ROWS",
    "ORDER",
    "REQUIRED",
    "RESERVED_ITEMS",
    "STEP_COLUMNS",
    "TABLES",
    "Column",
    "Formula",
    "Imported",
    "Sheet",
    "Tables",
    "columns",
    "from_cell",
    "items_from_tables",
    "mapping",
    "mapping_table",
    "read_tables",
    "tables",
    "targets",
    "to_cell",
    "with_mapping_table",
    "write",
    "write_items",
]
