"""``load``: the one entry point that reads, checks and builds everything under ``procedures/``.

It reads as the pipeline: find the files → check their structure → assemble
the model → apply the semantic rules.  Every command, the MkDocs plugin and
the tests call it; it never raises for bad input, it reports.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic, has_errors
from .model import Catalog, Department, Procedure, Site
from .read.assemble import build_department, build_procedure, build_site
from .read.check import Checked, Locator
from .read.files import Found, discover, form_files, read_bytes
from .rules.item import check_catalog
from .speed.checks import check_files
from .speed.parallel import Parallel


@dataclass
class Result:
    """What validation produced: the catalog when there were no errors, and all problems."""

    catalog: Catalog | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0


def load(
    root: Path,
    base: Path | None = None,
    only: Iterable[str] = (),
    cache: Path | None = None,
    parallel: Parallel | None = None,
) -> Result:
    """Read, check and build everything under ``root`` (the ``procedures/`` folder).

    ``base`` is what paths are shown relative to.  ``only`` limits the check to
    these display paths and the cross-file problems that involve them: when
    only items are named, the other items are not read, except for their
    codes, and only the named files are reported.  A named department.yml or
    site.yml concerns every item, so then everything is read and reported.
    The catalog is built only when everything was read and nothing is wrong.
    ``cache`` is a folder that remembers the structural check of each file's bytes.
    """
    base = base or root.parent
    selected = set(only)
    partial = bool(selected) and not any(p.endswith(("department.yml", "site.yml")) for p in selected)
    tree = discover(root, base)
    wanted = [f for f in tree.files if not partial or f.kind != "item" or f.display in selected]
    checked, diagnostics = _check(wanted, cache, parallel or Parallel())
    diagnostics = tree.diagnostics + diagnostics
    locator = Locator({c.file: c for c in checked})
    site, departments, procedures = _assemble(checked)
    diagnostics += _without_department(wanted, root)
    others = _other_codes([f for f in tree.files if f.kind == "item" and f not in wanted]) if partial else {}
    unchecked = {Path(c.file).parent.name for c in checked if c.kind == "department" and not c.complete}
    diagnostics += check_catalog(site, departments, procedures, locator, root, others, unchecked)
    catalog = None
    if site is not None and not partial and not has_errors(diagnostics) and all(c.complete for c in checked):
        catalog = Catalog(site, tuple(departments.values()), tuple(procedures), form_files(root, set(departments)))
    if partial:
        diagnostics = [d for d in diagnostics if d.file in selected]
    return Result(catalog, sorted(diagnostics), len(wanted))


def _check(found: Sequence[Found], cache: Path | None, parallel: Parallel) -> tuple[list[Checked], list[Diagnostic]]:
    checked: list[Checked] = []
    diagnostics: list[Diagnostic] = []
    for outcome in check_files(found, cache, parallel):
        if isinstance(outcome, Diagnostic):
            diagnostics.append(outcome)
        else:
            checked.append(outcome[0])
            diagnostics += outcome[1]
    return checked, diagnostics


def _assemble(checked: list[Checked]) -> tuple[Site | None, dict[str, Department], list[Procedure]]:
    """The model: of site.yml and departments when they are complete, of items as far as they are well formed."""
    site = next((build_site(c) for c in checked if c.kind == "site" and c.complete), None)
    departments = {d.id: d for d in (build_department(c) for c in checked if c.kind == "department" and c.complete)}
    procedures = [build_procedure(c) for c in checked if c.kind == "item" and c.data is not None]
    return site, dict(sorted(departments.items())), sorted(procedures, key=lambda p: (p.department, p.id))


def _without_department(found: Sequence[Found], root: Path) -> list[Diagnostic]:
    """Items in a folder that has no department.yml at all (an invalid one is reported by its own check)."""
    return [
        Diagnostic.of(f.display, (1, 1), "", "文件", "department_missing", value=f.folder)
        for f in found
        if f.kind == "item" and not (root / f.folder / "department.yml").exists()
    ]


_CODE_LINE = re.compile(rb"^code:[ \t]*[\"']?(.*?)[\"']?[ \t]*(?:#.*)?$", re.MULTILINE)


def _other_codes(files: Sequence[Found]) -> dict[str, str]:
    """Code → display path of the items that were not read, from their ``code:`` line alone."""
    codes: dict[str, str] = {}
    for file in files:
        data = read_bytes(file)
        match = _CODE_LINE.search(data) if isinstance(data, bytes) else None
        if match:
            codes.setdefault(match.group(1).decode("utf-8", "replace"), file.display)
    return codes
