"""Semantic checks of the model: rules that need more than one value, or more than one file.

Each check reports a key path and a message id; :class:`~generator.read.check.Locator`
turns them into located diagnostics.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostic
from ..messages import did_you_mean, quote_choices
from ..model import Department, Procedure, Site, days_text
from ..read.check import Locator
from .flow import check_flow, critical_path


def check_catalog(
    site: Site,
    departments: Mapping[str, Department],
    procedures: list[Procedure],
    locator: Locator,
    root: Path,
    others: Mapping[str, str] | None = None,
) -> list[Diagnostic]:
    """Semantic checks; ``others`` are the codes of items that were not read (code → path)."""
    diagnostics = list(_check_codes(procedures, locator, others or {}))
    for procedure in procedures:
        diagnostics += ItemCheck(procedure, site, departments, locator, root).run()
    return diagnostics


def _check_codes(procedures: list[Procedure], locator: Locator, others: Mapping[str, str]) -> Iterator[Diagnostic]:
    first: dict[str, str] = dict(others)
    for procedure in procedures:
        other = first.setdefault(procedure.code, procedure.source)
        if other != procedure.source:
            yield locator.at(procedure.source, "code", "duplicate_code", value=procedure.code, other=other)


@dataclass
class ItemCheck:
    """The semantic checks of one item."""

    procedure: Procedure
    site: Site
    departments: Mapping[str, Department]
    locator: Locator
    root: Path

    def run(self) -> list[Diagnostic]:
        found = [
            d
            for check in (self.check_type, self.check_steps, self.check_online, self.check_files, self.check_materials)
            for d in check()
        ]
        flow = check_flow(self.procedure)
        found += [self.error(p.key, p.code, **p.values) for p in flow]
        found += self.check_times(flow_ok=not flow)
        return found

    def error(self, key: str, code: str, **values: object) -> Diagnostic:
        return self.locator.at(self.procedure.source, key, code, **values)

    def warning(self, key: str, code: str, **values: object) -> Diagnostic:
        return self.locator.at(self.procedure.source, key, code, **values).warning()

    def check_type(self) -> Iterator[Diagnostic]:
        names = self.site.type_names
        value = self.procedure.type
        if value not in names:
            hint = did_you_mean(value, names)
            yield self.error("type", "unknown_type", value=value, choices=quote_choices(names), hint=hint)

    def check_steps(self) -> Iterator[Diagnostic]:
        for index, step in enumerate(self.procedure.steps):
            key = f"steps[{index}]"
            if not step.end:
                for name in ("position", "time", "does"):
                    if getattr(step, name) is None:
                        yield self.error(f"{key}.{name}", "missing_key", name=name)
            if step.position is not None:
                yield from self._check_position(index, step.position.department, step.position.position)

    def _check_position(self, index: int, department_id: str, position: str) -> Iterator[Diagnostic]:
        key = f"steps[{index}].position"
        department = self.departments.get(department_id)
        if department is None:
            yield self.error(
                key, "unknown_department", value=department_id, hint=did_you_mean(department_id, self.departments)
            )
        elif department.position(position) is None:
            choices = [p.id for p in department.positions]
            if department_id != self.procedure.department:
                choices = [f"{department_id}/{c}" for c in choices]
                position = f"{department_id}/{position}"
            yield self.error(key, "unknown_position", value=position, hint=did_you_mean(position, choices))

    def check_online(self) -> Iterator[Diagnostic]:
        online = self.procedure.online
        if online.level != "不支持" and not online.url:
            yield self.error("online", "url_required", level=online.level)

    def check_files(self) -> Iterator[Diagnostic]:
        folder = (self.root / self.procedure.department).resolve()
        for index, material in enumerate(self.procedure.materials):
            for name in ("form", "sample"):
                value = getattr(material, name)
                if value and not _inside_and_exists(folder, value):
                    folder_name = f"procedures/{self.procedure.department}"
                    yield self.error(f"materials[{index}].{name}", "file_missing", value=value, folder=folder_name)

    def check_materials(self) -> Iterator[Diagnostic]:
        for index, material in enumerate(self.procedure.materials):
            if not material.source:
                yield self.warning(f"materials[{index}]", "material_without_source", value=material.name)

    def check_times(self, flow_ok: bool) -> list[Diagnostic]:
        found = list(self._check_day_kinds())
        if found:
            return found
        limits = self.procedure.time_limits
        if self.procedure.kind == "即办件" and not limits.committed.is_immediate:
            found.append(self.error("time_limits.committed", "immediate_not_immediate", value=limits.committed))
        if limits.committed.days > limits.statutory.days:
            found.append(
                self.error(
                    "time_limits.committed",
                    "committed_exceeds_statutory",
                    committed=limits.committed,
                    statutory=limits.statutory,
                )
            )
        elif limits.committed.days == limits.statutory.days and not limits.committed.is_immediate:
            found.append(self.warning("time_limits.committed", "committed_equals_statutory", value=limits.committed))
        if flow_ok:
            found += self._check_path()
        return found

    def _check_path(self) -> list[Diagnostic]:
        path, total = critical_path(self.procedure)
        committed = self.procedure.time_limits.committed
        if total <= committed.days:
            return []
        names = " → ".join(self.procedure.step(s).name for s in path)
        total_text = days_text(total, self.procedure.day_kind)
        return [
            self.error(
                "time_limits.committed", "path_exceeds_committed", path=names, total=total_text, committed=committed
            )
        ]

    def _check_day_kinds(self) -> Iterator[Diagnostic]:
        limits = self.procedure.time_limits
        timed = [("time_limits.statutory", limits.statutory), ("time_limits.committed", limits.committed)]
        timed += [(f"steps[{i}].time", s.time) for i, s in enumerate(self.procedure.steps) if s.time is not None]
        first = next((d.day_kind for _, d in timed if d.day_kind), None)
        if first is None:
            return
        for key, value in timed:
            if value.day_kind and value.day_kind != first:
                yield self.error(key, "mixed_days", value=value, other=first)


def _inside_and_exists(folder: Path, relative: str) -> bool:
    try:
        target = (folder / relative).resolve()
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL byte
        return False
    return target.is_relative_to(folder) and target.is_file()
