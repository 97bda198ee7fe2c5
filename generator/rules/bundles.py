"""The checks of the 一件事 files: members that exist and belong to the site, each once, an order without a
cycle, references to members and to their materials, the lead department and the application form; warnings
when the bundle promises more than its members' promised times add up to along the order, and when members
state a shared material differently."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Set
from pathlib import Path

from ..bundles import committed_total, find_cycle, material_ref, materials, waits_for
from ..diagnostics import Diagnostic
from ..messages import did_you_mean
from ..model import Bundle, BundleSituation, Department, Material, Procedure
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
    seen: dict[str, str] = {}
    for bundle in bundles:
        if bundle.id == RESERVED or bundle.id in seen:
            code = "bundle_id_reserved" if bundle.id == RESERVED else "bundle_id_duplicate"
            found.append(locator.at(bundle.source, "name", code, value=bundle.id, other=seen.get(bundle.id, "")))
            continue
        seen[bundle.id] = bundle.source
        found += BundleCheck(bundle, by_slug, departments, locator, root, present).run()
    return found


RESERVED = "index"
"""The file name of the 一件事 index page (``bundles/index.md``): no bundle may take it."""


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
        found = [*self._lead(), *self._members(), *self._references(), *self._links(), *self._provided()]
        found += self._disagreements()
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
                if self.bundle.member(ref) is None:  # itself is a member: the cycle check reports it
                    yield self.at(f"members[{index}].after[{k}]", "bundle_not_member", value=ref)
        yield from self._situations()

    def _situations(self) -> Iterator[Diagnostic]:
        """Each situation once, naming members; a member waits only for members of the same situation; every
        member is in some situation."""
        ids: set[str] = set()
        for index, situation in enumerate(self.bundle.situations or ()):
            if situation.id in ids:
                yield self.at(f"situations[{index}].id", "bundle_duplicate_situation", value=situation.id)
            ids.add(situation.id)
            yield from self._situation_members(index, situation)
        named = {ref for s in self.bundle.situations or () for ref in s.members}
        for index, member in enumerate(self.bundle.members if self.bundle.situations else ()):
            if member.item not in named:
                yield self.at(f"members[{index}].item", "bundle_member_in_no_situation", value=member.item).warning()

    def _situation_members(self, index: int, situation: BundleSituation) -> Iterator[Diagnostic]:
        for k, ref in enumerate(situation.members):
            member = self.bundle.member(ref)
            if member is None:
                yield self.at(f"situations[{index}].members[{k}]", "bundle_not_member", value=ref)
                continue
            for before in (a for a in member.after if a not in situation.members and self.bundle.member(a)):
                key = f"situations[{index}].members[{k}]"
                yield self.at(key, "bundle_situation_without", value=ref, other=before).warning()

    def _links(self) -> Iterator[Diagnostic]:
        """The materials linked in ``shared`` are materials of members."""
        for index, shared in enumerate(self.bundle.shared or ()):
            for k, ref in enumerate(shared.materials):
                item, name = material_ref(ref)
                procedure = self.procedures.get(item)
                if self.bundle.member(item) is None:
                    yield self.at(f"shared[{index}].materials[{k}]", "bundle_not_member", value=item)
                elif procedure and not any(m.name == name for m in procedure.materials):
                    key = f"shared[{index}].materials[{k}]"
                    yield self.at(key, "bundle_unknown_material", value=item, name=name)

    def _provided(self) -> Iterator[Diagnostic]:
        """What a member produces is a material that other members ask for, and they wait for it to be done."""
        if any(m.item not in self.procedures for m in self.bundle.members):
            return  # a member is missing or broken (its own message says why): what it asks for is unknown
        for index, member in enumerate(self.bundle.members):
            for k, name in enumerate(member.provides):
                askers = self._askers(name, member.item)
                if not askers:
                    yield self.at(f"members[{index}].provides[{k}]", "bundle_unknown_provided", name=name)
                for early in (a for a in askers if member.item not in waits_for(self.bundle, a)):
                    key = f"members[{index}].provides[{k}]"
                    yield self.at(key, "bundle_provided_early", name=name, value=early, other=member.item)

    def _askers(self, name: str, producer: str) -> list[str]:
        """The other members that ask for the material ``name``."""
        return [
            m.item
            for m in self.bundle.members
            if m.item != producer and any(x.name == name for x in self._materials_of(m.item))
        ]

    def _disagreements(self) -> Iterator[Diagnostic]:
        """A material that several members require is stated alike by them (originals, copies): warned."""
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
        own = self.bundle.committed
        total = committed_total(self.bundle, self.procedures, list(self.bundle.members))
        if own is None or total is None or not own.is_promise or total.is_immediate:
            return
        if own.unit == total.unit and own.amount > total.amount:
            code = "bundle_promise_exceeds"
            yield self.at("time_limits.committed", code, value=own.written, total=total.written).warning()
