"""Load and validate the whole ``procedures/`` tree; the entry point of every command.

Checks report a key path; :class:`Locator` turns it into a line and column
using the YAML marks recorded by the structural check.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic, Severity, has_errors
from .flow import check_flow, critical_path
from .formats import SCHEMAS
from .loader import (
    Checked,
    Sources,
    build_department,
    build_procedure,
    build_site,
    discover,
    display_path,
    read_sources,
)
from .messages import did_you_mean, message, quote_choices
from .model import Catalog, Department, Procedure, Site, days_text
from .schema import title_at


@dataclass
class Locator:
    """Maps (file, key path) to a located diagnostic."""

    files: dict[str, Checked]

    def at(self, path: str, key: str, text: str, severity: Severity = "error") -> Diagnostic:
        checked = self.files[path]
        line, column = self._find(checked, key)
        title = title_at(SCHEMAS[checked.kind], key)
        label = f"{key} ({title})" if key and title else key
        return Diagnostic(path, line, column, label, text, severity)

    @staticmethod
    def _find(checked: Checked, key: str) -> tuple[int, int]:
        while key:
            if key in checked.locations:
                line, column = checked.locations[key]
                return line, column
            key = key[: max(key.rfind("."), key.rfind("["), 0)]
        return 1, 1


@dataclass
class Result:
    """What validation produced: the catalog when there were no errors, and all problems."""

    catalog: Catalog | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0

    @property
    def ok(self) -> bool:
        return self.catalog is not None


def load(root: Path, base: Path | None = None, only: Iterable[str] = (), cache: Path | None = None) -> Result:
    """Read, check and build everything under ``root``; see :func:`_load`.

    ``cache`` is a folder that remembers the structural check of each file's bytes.

    The cyclic garbage collector is paused meanwhile: YAML node trees are
    many small objects without cycles, and collecting them repeatedly made
    loading grow faster than the number of files.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(root, base, only, cache)
    finally:
        if enabled:
            gc.enable()


def _load(root: Path, base: Path | None, only: Iterable[str], cache: Path | None) -> Result:
    """Read, check and build everything under ``root`` (the ``procedures/`` folder).

    ``only`` limits the check to these display paths and the cross-file
    problems that involve them: when only items are named, the other items are
    not read, except for their codes, and only the named files are reported.
    A named department.yml or site.yml concerns every item, so then everything
    is read and reported.  The catalog is built only when everything was read.
    """
    base = base or root.parent
    selected = set(only)
    partial = bool(selected) and all(not p.endswith(("/department.yml", "/site.yml")) for p in selected)
    sources = read_sources(root, base, selected if partial else None, cache)
    locator = Locator({f.path: f for f in sources.files})
    diagnostics = list(sources.diagnostics)
    site_files = sources.of_kind("site")
    site = build_site(site_files[0].data) if site_files and site_files[0].data else None
    departments = _build_departments(sources, diagnostics)
    procedures = _build_procedures(sources, departments)
    if site is not None:
        others = _other_codes(sources.root, base, selected) if partial else {}
        diagnostics += check_catalog(site, departments, procedures, locator, sources.root, others)
    catalog = None
    if site is not None and not partial and not has_errors(diagnostics):
        forms = _form_files(sources.root)
        catalog = Catalog(site, tuple(departments.values()), tuple(procedures), forms)
    if partial:
        diagnostics = [d for d in diagnostics if d.path in selected]
    return Result(catalog, sorted(diagnostics), len(sources.files))


def _build_departments(sources: Sources, diagnostics: list[Diagnostic]) -> dict[str, Department]:
    departments = {}
    for checked in sources.of_kind("department"):
        department_id = Path(checked.path).parent.name
        assert checked.data is not None
        departments[department_id] = build_department(department_id, checked.data)
    for checked in sources.files:
        folder = Path(checked.path).parent.name
        if checked.kind == "item" and folder not in departments:
            has_file = (sources.root / folder / "department.yml").is_file()
            if not has_file:
                text = message("department_missing", value=folder)
                diagnostics.append(Diagnostic(checked.path, 1, 1, "", text))
    return dict(sorted(departments.items()))


def _build_procedures(sources: Sources, departments: dict[str, Department]) -> list[Procedure]:
    procedures = []
    for checked in sources.of_kind("item"):
        folder = Path(checked.path).parent.name
        if folder in departments and checked.data is not None:
            procedures.append(build_procedure(checked.path, checked.data, departments[folder]))
    return sorted(procedures, key=lambda p: (p.department, p.id))


_CODE_LINE = re.compile(r"^code:[ \t]*[\"']?(.*?)[\"']?[ \t]*(#.*)?$", re.MULTILINE)


def _other_codes(root: Path, base: Path, selected: set[str]) -> dict[str, str]:
    """Code → display path of the items that were not read, from their ``code:`` line alone."""
    codes: dict[str, str] = {}
    for path, kind in discover(root):
        shown = display_path(path, base)
        if kind == "item" and shown not in selected:
            match = _CODE_LINE.search(path.read_text(encoding="utf-8", errors="replace"))
            if match:
                codes.setdefault(match.group(1), shown)
    return codes


def _form_files(root: Path) -> tuple[str, ...]:
    return tuple(sorted(p.relative_to(root).as_posix() for p in root.glob("*/forms/**/*") if p.is_file()))


# Semantic checks --------------------------------------------------------------


def check_catalog(
    site: Site,
    departments: dict[str, Department],
    procedures: list[Procedure],
    locator: Locator,
    root: Path,
    others: dict[str, str] | None = None,
) -> list[Diagnostic]:
    """Semantic checks; ``others`` are the codes of items that were not read (code → path)."""
    diagnostics = list(_check_codes(procedures, locator, others or {}))
    for procedure in procedures:
        context = ItemCheck(procedure, site, departments, locator, root)
        diagnostics += context.run()
    return diagnostics


def _check_codes(procedures: list[Procedure], locator: Locator, others: dict[str, str]) -> Iterator[Diagnostic]:
    first: dict[str, str] = dict(others)
    for procedure in procedures:
        other = first.setdefault(procedure.code, procedure.source)
        if other != procedure.source:
            text = message("duplicate_code", value=procedure.code, other=other)
            yield locator.at(procedure.source, "code", text)


@dataclass
class ItemCheck:
    """The semantic checks of one item."""

    procedure: Procedure
    site: Site
    departments: dict[str, Department]
    locator: Locator
    root: Path

    def run(self) -> list[Diagnostic]:
        checks = (
            self.check_type,
            self.check_positions,
            self.check_online,
            self.check_files,
            self.check_materials,
        )
        found = [d for check in checks for d in check()]
        flow = check_flow(self.procedure)
        found += [self.error(p.key, p.text) for p in flow]
        found += self.check_times(flow_ok=not flow)
        return found

    def error(self, key: str, text: str) -> Diagnostic:
        return self.locator.at(self.procedure.source, key, text)

    def warning(self, key: str, text: str) -> Diagnostic:
        return self.locator.at(self.procedure.source, key, text, "warning")

    def check_type(self) -> Iterator[Diagnostic]:
        names = [t.name for t in self.site.item_types]
        value = self.procedure.type
        if value not in names:
            hint = did_you_mean(value, names)
            yield self.error(
                "type",
                message("unknown_type", value=value, choices=quote_choices(names), hint=hint),
            )

    def check_positions(self) -> Iterator[Diagnostic]:
        for index, step in enumerate(self.procedure.steps):
            key = f"steps[{index}]"
            if not step.end:
                for name in ("position", "time", "does"):
                    if f"{key}.{name}" not in self._locations:
                        yield self.error(f"{key}.{name}", message("missing_key", name=name))
            if step.position:
                yield from self._check_position(index, step.department, step.position)

    @property
    def _locations(self) -> Mapping[str, Sequence[int]]:
        return self.locator.files[self.procedure.source].locations

    def _check_position(self, index: int, department_id: str, position: str) -> Iterator[Diagnostic]:
        key = f"steps[{index}].position"
        department = self.departments.get(department_id)
        if department is None:
            hint = did_you_mean(department_id, self.departments)
            yield self.error(key, message("unknown_department", value=department_id, hint=hint))
        elif department.position(position) is None:
            choices = [p.id for p in department.positions]
            if department_id != self.procedure.department:
                choices = [f"{department_id}/{c}" for c in choices]
                position = f"{department_id}/{position}"
            hint = did_you_mean(position, choices)
            yield self.error(key, message("unknown_position", value=position, hint=hint))

    def check_online(self) -> Iterator[Diagnostic]:
        online = self.procedure.online
        if online.level != "不支持" and not online.url:
            yield self.error("online", message("url_required", level=online.level))

    def check_files(self) -> Iterator[Diagnostic]:
        folder = (self.root / self.procedure.department).resolve()
        for index, material in enumerate(self.procedure.materials):
            for name in ("form", "sample"):
                value = getattr(material, name)
                if value and not _inside_and_exists(folder, value):
                    text = message(
                        "file_missing",
                        value=value,
                        folder=f"procedures/{self.procedure.department}",
                    )
                    yield self.error(f"materials[{index}].{name}", text)

    def check_materials(self) -> Iterator[Diagnostic]:
        for index, material in enumerate(self.procedure.materials):
            if not material.source:
                yield self.warning(f"materials[{index}]", message("material_without_source", value=material.name))

    def check_times(self, flow_ok: bool) -> list[Diagnostic]:
        found = list(self._check_day_kinds())
        if found:
            return found
        limits = self.procedure.time_limits
        kind = self.procedure.day_kind
        if self.procedure.kind == "即办件" and not limits.committed.is_immediate:
            found.append(
                self.error(
                    "time_limits.committed",
                    message("immediate_not_immediate", value=limits.committed),
                )
            )
        if limits.committed.days > limits.statutory.days:
            text = message(
                "committed_exceeds_statutory",
                committed=limits.committed,
                statutory=limits.statutory,
            )
            found.append(self.error("time_limits.committed", text))
        elif limits.committed.days == limits.statutory.days and not limits.committed.is_immediate:
            text = message("committed_equals_statutory", value=limits.committed)
            found.append(self.warning("time_limits.committed", text))
        if flow_ok:
            path, total = critical_path(self.procedure)
            if total > limits.committed.days:
                names = " → ".join(self.procedure.step(s).name for s in path)
                text = message(
                    "path_exceeds_committed",
                    path=names,
                    total=days_text(total, kind),
                    committed=limits.committed,
                )
                found.append(self.error("time_limits.committed", text))
        return found

    def _check_day_kinds(self) -> Iterator[Diagnostic]:
        limits = self.procedure.time_limits
        timed = [
            ("time_limits.statutory", limits.statutory),
            ("time_limits.committed", limits.committed),
        ]
        timed += [(f"steps[{i}].time", s.time) for i, s in enumerate(self.procedure.steps)]
        first = next(((k, d.day_kind) for k, d in timed if d.day_kind), None)
        if first is None:
            return
        for key, value in timed:
            if value.day_kind and value.day_kind != first[1]:
                yield self.error(key, message("mixed_days", value=value, other=first[1]))


def _inside_and_exists(folder: Path, relative: str) -> bool:
    target = (folder / relative).resolve()
    return target.is_relative_to(folder) and target.is_file()


__all__ = ["Locator", "Result", "display_path", "load"]
