"""``load``: the one entry point that reads, checks and builds everything under ``procedures/``.

It reads as the pipeline: find the files → check their structure → assemble
the model → apply the semantic rules.  Every command, the MkDocs plugin and
the tests call it; it never raises for bad input, it reports.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic, has_errors
from .model import Bundle, Catalog, Department, Procedure, Site
from .read.assemble import build_bundle, build_department, build_procedure, build_site
from .read.check import Checked, Locator, check_bytes
from .read.files import Found, Tree, discover, form_files, read_bytes
from .rules.bundles import check_bundles
from .rules.item import Remembered, check_catalog
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
    selected = set(only)
    parallel = parallel or Parallel()
    if selected and not any(p.endswith(("department.yml", "site.yml")) or "/bundles/" in p for p in selected):
        return _load_items(root, base or root.parent, selected, cache, parallel)
    return _load_tree(root, base or root.parent, cache, parallel)


def _load_tree(root: Path, base: Path, cache: Path | None, parallel: Parallel) -> Result:
    """Every file: all problems, and the catalog when there are none."""
    tree = discover(root, base)
    checked, diagnostics = _check(tree.files, cache, parallel)
    return _whole(tree, checked, diagnostics, [_build(c) for c in checked], root)


def _whole(
    tree: Tree,
    checked: list[Checked],
    diagnostics: list[Diagnostic],
    built: list[Model],
    root: Path,
    remembered: Remembered | None = None,
) -> Result:
    """Every file checked (``diagnostics`` are their own problems) and built: with the cross-file problems, and
    the catalog when there are none."""
    site, departments, procedures = _gather(built)
    diagnostics = tree.diagnostics + diagnostics + _without_department(tree.files, root)
    diagnostics += _cross_checks(checked, site, departments, procedures, root, {}, _slugs(tree.files), remembered)
    if site is None or has_errors(diagnostics) or not all(c.complete for c in checked):
        return Result(None, sorted(diagnostics), len(tree.files))
    forms = form_files(root, set(departments))
    catalog = Catalog(site, tuple(departments.values()), tuple(procedures), forms, _bundles(checked))
    return Result(catalog, sorted(diagnostics), len(tree.files))


def _load_items(root: Path, base: Path, selected: set[str], cache: Path | None, parallel: Parallel) -> Result:
    """The named items with the site and departments, the other items by their codes alone: the problems of the
    named files, and no catalog."""
    tree = discover(root, base)
    wanted = [f for f in tree.files if f.kind != "item" or f.display in selected]
    checked, diagnostics = _check(wanted, cache, parallel)
    site, departments, procedures = _assemble(checked)
    diagnostics = tree.diagnostics + diagnostics + _without_department(wanted, root)
    others = _other_codes([f for f in tree.files if f.kind == "item" and f not in wanted])
    diagnostics += _cross_checks(checked, site, departments, procedures, root, others)
    return Result(None, sorted(d for d in diagnostics if d.file in selected), len(wanted))


def _cross_checks(
    checked: list[Checked],
    site: Site | None,
    departments: dict[str, Department],
    procedures: list[Procedure],
    root: Path,
    others: dict[str, str],
    items: Set[str] = frozenset(),
    remembered: Remembered | None = None,
) -> list[Diagnostic]:
    """The checks that need more than one value or file, located in the files they concern; ``items`` are the
    item files found (部门/事项), read or not."""
    locator = Locator({c.file: c for c in checked})
    unchecked = {Path(c.file).parent.name for c in checked if c.kind == "department" and not c.complete}
    found = check_catalog(site, departments, procedures, locator, root, others, unchecked, remembered)
    if not others:  # every item was read
        found += check_bundles(list(_bundles(checked)), procedures, departments, locator, root, items | unchecked)
    return found


def _slugs(files: Iterable[Found]) -> set[str]:
    """The items among ``files`` as a bundle names them: 部门/事项."""
    return {"/".join(f.path.with_suffix("").parts[-2:]) for f in files if f.kind == "item"}


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
    return _gather([_build(c) for c in checked])


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


Model = Site | Department | Procedure | Bundle | None


@dataclass
class _Kept:
    """One file as the workspace keeps it: its check, its problems and what was built of it."""

    found: Found
    stamp: tuple[int, int]
    checked: Checked | None
    problems: list[Diagnostic]
    built: Model


@dataclass
class Workspace:
    """The tree kept checked in memory, for the editor: a text of one file is checked as ``load(only=[file])``
    checks it on disk, re-checking only that file and the cross-file rules that involve it (1,000 items are read
    and built once, not on every keystroke).  Files changed on disk since are read again first."""

    root: Path
    base: Path
    cache: Path | None = None
    """Where the structural check of each file's bytes is remembered (as :func:`load`'s ``cache``)."""
    _files: dict[str, _Kept] = field(default_factory=dict)
    _checks: Remembered = field(default_factory=Remembered)
    """Each item's problems, from the last :meth:`load`."""

    def load(self) -> Result:
        """What :func:`load` gives for the whole tree, reading again only the files changed since the last call
        (``mkdocs serve`` rebuilds with it after an edit)."""
        tree = self.refresh()
        kept = [self._files[f.display] for f in tree.files]
        checked = [k.checked for k in kept if k.checked is not None]
        problems = [d for k in kept for d in k.problems]
        built = [k.built for k in kept if k.checked is not None]
        return _whole(tree, checked, problems, built, self.root, self._checks)

    def refresh(self) -> Tree:
        """Read again the files whose size or time changed, and forget the ones that are gone; the tree as found."""
        tree = discover(self.root, self.base)
        stale = [f for f in tree.files if f.display not in self._files or self._files[f.display].stamp != _stamp(f)]
        for file, outcome in zip(stale, check_files(stale, self.cache, Parallel()), strict=True):
            if isinstance(outcome, Diagnostic):
                self._files[file.display] = _Kept(file, _stamp(file), None, [outcome], None)
            else:
                self._files[file.display] = _Kept(file, _stamp(file), outcome[0], outcome[1], _build(outcome[0]))
        for gone in self._files.keys() - {f.display for f in tree.files}:
            del self._files[gone]
        return tree

    def built(self, display: str) -> Model:
        """What was built of a file as it is on disk (None when it is broken or unknown)."""
        self.refresh()
        kept = self._files.get(display)
        return kept.built if kept else None

    def check(self, display: str, data: bytes) -> list[Diagnostic]:
        """The problems of ``display`` if its bytes were ``data``, as ``load(only=[display])`` reports them."""
        found, _, diagnostics, every, built = self._with(display, data)
        site, departments, procedures = _gather(built)
        codes: dict[str, str] = {}
        if found.kind == "item":  # the other items by their codes alone, as load(only=) reads them
            codes = {p.code: p.source for p in procedures if p.source != display and p.code is not None}
            procedures = [p for p in procedures if p.source == display]
        diagnostics += _without_department([found], self.root)
        found_items = _slugs([k.found for k in self._files.values()] + [found])
        diagnostics += _cross_checks(every, site, departments, procedures, self.root, codes, found_items)
        return sorted(d for d in diagnostics if d.file == display)

    def catalog(self, display: str, data: bytes) -> Catalog | None:
        """The catalog with ``display``'s bytes as ``data`` (for a preview), or None when it cannot be built."""
        _, checked, _, _, built = self._with(display, data)
        site, departments, procedures = _gather(built)
        if site is None or not checked.complete:
            return None
        forms = form_files(self.root, set(departments))
        bundles = tuple(sorted((b for b in built if isinstance(b, Bundle)), key=lambda b: b.id))
        return Catalog(site, tuple(departments.values()), tuple(procedures), forms, bundles)

    def item(self, display: str, data: bytes) -> tuple[Catalog, Procedure] | None:
        """The catalog with the item ``display`` read from ``data``, and that item (None when either cannot be
        built)."""
        catalog = self.catalog(display, data)
        procedure = next((p for p in catalog.procedures if p.source == display), None) if catalog else None
        return (catalog, procedure) if catalog and procedure else None

    def _with(self, display: str, data: bytes) -> tuple[Found, Checked, list[Diagnostic], list[Checked], list[Model]]:
        """The file checked from ``data``, and every file's check and model with it in place of the disk's."""
        self.refresh()
        kept = self._files.get(display)
        found = kept.found if kept else Found(self.base / display, "item", display)
        checked, diagnostics = check_bytes(data, found.kind, display)
        others = [k for name, k in self._files.items() if name != display]
        every = [k.checked for k in others if k.checked is not None] + [checked]
        return found, checked, diagnostics, every, [k.built for k in others] + [_build(checked)]


def _bundles(checked: list[Checked]) -> tuple[Bundle, ...]:
    """The 一件事 files that are complete, by id."""
    bundles = (build_bundle(c) for c in checked if c.kind == "bundle" and c.complete)
    return tuple(sorted(bundles, key=lambda b: b.id))


def _build(checked: Checked) -> Model:
    """What ``_assemble`` builds of one file (a site or department only when complete)."""
    if checked.kind == "item":
        return build_procedure(checked) if checked.data is not None else None
    if not checked.complete:
        return None
    if checked.kind == "bundle":
        return build_bundle(checked)
    return build_site(checked) if checked.kind == "site" else build_department(checked)


def _gather(built: list[Model]) -> tuple[Site | None, dict[str, Department], list[Procedure]]:
    sites = [b for b in built if isinstance(b, Site)]
    departments = {b.id: b for b in built if isinstance(b, Department)}
    procedures = [b for b in built if isinstance(b, Procedure)]
    return (
        sites[0] if sites else None,
        dict(sorted(departments.items())),
        sorted(procedures, key=lambda p: (p.department, p.id)),
    )


def _stamp(found: Found) -> tuple[int, int]:
    try:
        status = found.path.stat()
    except OSError:
        return (-1, -1)
    return status.st_mtime_ns, status.st_size
