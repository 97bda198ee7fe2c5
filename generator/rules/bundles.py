"""The checks of the 一件事 files: members that exist and belong to the site, each once, an order without a
cycle, references to members and to their materials, the lead department and the application form; warnings
when the bundle promises more than its members' promised times add up to along the order, and when members
state a shared material differently."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Set
from pathlib import Path

from ..bundles import committed_total, find_cycle, materials
from ..diagnostics import Diagnostic
from ..messages import did_you_mean
from ..model import Bundle, Department, Material, Procedure
from ..read.check import Locator


def check_bundles(
    bundles: list[Bundle],
    procedures: list[Procedure],
    departments: Mapping[str, Department],
    locator: Locator,
    root: Path,
    present: Set[str] = frozenset(),
) -> list[Diagnostic]:
    """The problems of every bundle; ``present`` names the items (部门/事项) and department folders whose files
    exist but are broken (their own messages say why: a bundle does not call them missing)."""
    by_slug = {p.slug: p for p in procedures}
    found: list[Diagnostic] = []
    for bundle in bundles:
        found += BundleCheck(bundle, by_slug, departments, locator, root, present).run()
    return found


class BundleCheck:
    """The checks of one bundle, located in its file; a member is named by ``部门/事项``."""

    def __init__(
        self,
        bundle: Bundle,
        procedures: Mapping[str, Procedure],
        departments: Mapping[str, Department],
        locator: Locator,
        root: Path,
        present: Set[str],
    ) -> None:
        self.bundle, self.procedures, self.departments = bundle, procedures, departments
        self.locator, self.root, self.present = locator, root, present

    def at(self, key: str, code: str, **values: object) -> Diagnostic:
        return self.locator.at(self.bundle.source, key, code, **values)

    def run(self) -> list[Diagnostic]:
        found = [*self._lead(), *self._members(), *self._references(), *self._materials()]
        cycle = find_cycle(self.bundle)
        if cycle:
            index = next(i for i, m in enumerate(self.bundle.members) if m.item == cycle[0])
            found.append(self.at(f"members[{index}].after", "bundle_cycle", value=" → ".join(cycle)))
        if any(d.severity == "error" for d in found):
            return found  # a sum along a wrong order or of missing members would mislead
        return found + list(self._promise())

    def _lead(self) -> Iterator[Diagnostic]:
        lead = self.bundle.lead
        if lead not in self.departments and lead not in self.present:
            yield self.at("lead", "unknown_department", value=lead, hint=did_you_mean(lead, list(self.departments)))
        elif self.bundle.form and not (self.root / lead / self.bundle.form).is_file():
            yield self.at("form", "file_missing", value=self.bundle.form, folder=f"procedures/{lead}")

    def _members(self) -> Iterator[Diagnostic]:
        seen: set[str] = set()
        for index, member in enumerate(self.bundle.members):
            if member.item in seen:
                yield self.at(f"members[{index}].item", "bundle_duplicate_member", value=member.item)
            seen.add(member.item)
            if member.item not in self.procedures and member.item not in self.present:
                hint = did_you_mean(member.item, list(self.procedures))
                yield self.at(f"members[{index}].item", "bundle_unknown_member", value=member.item, hint=hint)

    def _references(self) -> Iterator[Diagnostic]:
        """``after`` and the situations name members of this bundle."""
        for index, member in enumerate(self.bundle.members):
            for k, ref in enumerate(member.after):
                if self.bundle.member(ref) is None or ref == member.item:
                    yield self.at(f"members[{index}].after[{k}]", "bundle_not_member", value=ref)
        for index, situation in enumerate(self.bundle.situations or ()):
            for k, ref in enumerate(situation.members):
                if self.bundle.member(ref) is None:
                    yield self.at(f"situations[{index}].members[{k}]", "bundle_not_member", value=ref)

    def _materials(self) -> Iterator[Diagnostic]:
        """Linked and produced materials are materials of the members; shared ones are stated alike."""
        for index, shared in enumerate(self.bundle.shared or ()):
            for k, ref in enumerate(shared.materials):
                item, _, name = ref.replace("：", ":", 1).partition(":")
                procedure = self.procedures.get(item)
                if self.bundle.member(item) is None:
                    yield self.at(f"shared[{index}].materials[{k}]", "bundle_not_member", value=item)
                elif procedure and not any(m.name == name.strip() for m in procedure.materials):
                    key = f"shared[{index}].materials[{k}]"
                    yield self.at(key, "bundle_unknown_material", value=item, name=name.strip())
        asked = {m.name for member in self.bundle.members for m in self._materials_of(member.item)}
        for index, member in enumerate(self.bundle.members):
            for k, name in enumerate(member.provides):
                if name not in asked:
                    yield self.at(f"members[{index}].provides[{k}]", "bundle_unknown_provided", name=name)
        for needed in materials(self.bundle, self.procedures):
            if needed.disagreements:
                linked = (i for i, s in enumerate(self.bundle.shared or ()) if s.name == needed.name)
                key = next((f"shared[{i}]" for i in linked), "members")
                detail = "；".join(needed.disagreements)
                yield self.at(key, "bundle_material_differs", value=needed.name, detail=detail).warning()

    def _materials_of(self, item: str) -> tuple[Material, ...]:
        procedure = self.procedures.get(item)
        return (procedure.materials or ()) if procedure else ()  # a broken item may have none built

    def _promise(self) -> Iterator[Diagnostic]:
        own = self.bundle.time_limits.committed if self.bundle.time_limits else None
        total = committed_total(self.bundle, self.procedures, list(self.bundle.members))
        if own is None or total is None or not own.is_promise or total.is_immediate:
            return
        if own.unit == total.unit and own.amount > total.amount:
            code = "bundle_promise_exceeds"
            yield self.at("time_limits.committed", code, value=own.written, total=total.written).warning()
