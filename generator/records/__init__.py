"""效能公开 from the service system's case records: read the exports, check every row, aggregate, publish
aggregates only (see :mod:`generator.records.figures`)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..diagnostics import Diagnostic
from ..model import Catalog
from ..workdays import WorkCalendar
from .columns import Columns, min_cases, settings_of
from .engine import RecordsResult, analyse
from .figures import Aggregates, Performance
from .files import find, prepare

__all__ = ["Aggregates", "Performance", "RecordsResult", "read_records"]


def read_records(folder: Path, catalog: Catalog, base: Path | None = None, explain: bool = False) -> RecordsResult:
    """Read and check every export in ``folder`` and compute the figures; an absent folder means no records.
    With ``explain``, each case's verdict too (for ``records check --explain`` and the tests)."""
    paths = find(folder)
    if not paths:
        return RecordsResult(None)
    settings = settings_of(catalog.site)
    columns = Columns.of(settings)
    files: list[Diagnostic] = []
    with tempfile.TemporaryDirectory(prefix="banshi-records-") as temporary:
        work = Path(temporary)
        tables = []
        for number, path in enumerate(paths):
            shown = _display(path, base)
            table, problems = prepare(path, shown, number, work, columns)
            files += problems
            if table is not None:
                tables.append(table)
        outcome = analyse(
            tables,
            catalog,
            WorkCalendar.load(catalog.site.calendar),
            columns,
            min_cases(catalog.site),
            bool(settings.demo),
            work,
            explain,
        )
    outcome.files = files + outcome.files
    return outcome


def _display(path: Path, base: Path | None) -> str:
    if base is not None:
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()
