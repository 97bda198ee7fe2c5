"""高效办成一件事: a bundle's members as items, their order, their promised times added up, and the one set of
materials.

Members are named ``部门/事项`` (``gaj/csdj``).  ``after`` makes a member wait for others; members without it run
in parallel.  The sum of the members' promised times along the order is a fact only when every member states a
promise in the same kind of days (or 即办); otherwise there is no sum (principle 1: nothing is computed that the
guides do not state).  A material required by several members is listed once: the same name and source, or linked
in the bundle's ``shared``; a material that one member produces for another (``provides``) is not asked of the
applicant.  :mod:`generator.rules.bundles` reports what is wrong; the pages use what is computed here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from .contract.values import Duration
from .contract.vocab import DurationUnit
from .model import Bundle, Material, Member, Procedure


@dataclass(frozen=True)
class Needed:
    """One line of the bundle's 一次性告知单: a material and the members that require it."""

    name: str
    material: Material
    """As the first member that requires it states it (copies, originals, source)."""
    members: tuple[Procedure, ...]
    versions: tuple[Material, ...]
    """Each member's own statement of it, in the order of ``members``."""

    @property
    def disagreements(self) -> list[str]:
        """What the members state differently about it (originals, copies), in words."""
        found = []
        for label, values in (
            ("原件", [m.original for m in self.versions]),
            ("复印件", [m.copies for m in self.versions]),
        ):
            if len(set(values)) > 1:
                parts = [
                    f"{p.name} {'未写' if v is None else f'{v} 份'}" for p, v in zip(self.members, values, strict=True)
                ]
                found.append(f"{label}：" + "，".join(parts))
        return found


def resolve(bundle: Bundle, procedures: Mapping[str, Procedure]) -> list[tuple[Member, Procedure]]:
    """The members that are items of the site (by ``部门/事项``), in the bundle's order."""
    return [(m, procedures[m.item]) for m in bundle.members if m.item in procedures]


def chosen(bundle: Bundle, situation: str | None) -> list[Member]:
    """The members an applicant in ``situation`` applies for (all of them without a situation)."""
    found = next((s for s in bundle.situations or () if s.id == situation), None)
    return [m for m in bundle.members if found is None or m.item in found.members]


def find_cycle(bundle: Bundle) -> list[str] | None:
    """A cycle of ``after`` among the members (first repeated at the end), or None."""
    waits = {m.item: [a for a in m.after if bundle.member(a)] for m in bundle.members}
    state: dict[str, int] = {}
    for start in waits:
        if state.get(start):
            continue
        path, stack = [start], [iter(waits[start])]
        state[start] = 1
        while stack:
            following = next(stack[-1], None)
            if following is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(following) == 1:
                return [*path[path.index(following) :], following]
            elif not state.get(following):
                state[following] = 1
                path.append(following)
                stack.append(iter(waits[following]))
    return None


def stages(bundle: Bundle, members: list[Member] | None = None) -> list[list[Member]]:
    """The members in stages: each stage waits only for earlier ones (the order has no cycle)."""
    todo = list(members if members is not None else bundle.members)
    names = {m.item for m in todo}
    done: set[str] = set()
    found: list[list[Member]] = []
    while todo:
        ready = [m for m in todo if all(a in done or a not in names for a in m.after)]
        if not ready:  # a cycle: validate reports it
            ready = todo
        found.append(ready)
        done |= {m.item for m in ready}
        todo = [m for m in todo if m not in ready]
    return found


def committed_total(bundle: Bundle, procedures: Mapping[str, Procedure], members: list[Member]) -> Duration | None:
    """The members' promised times added along the order (the longest chain of ``after``), when every member
    states a promise and they are all counted in the same kind of days; None otherwise."""
    limits: dict[str, Duration] = {}
    for member in members:
        p = procedures.get(member.item)
        committed = p.time_limits.committed if p and p.time_limits else None
        if committed is None or not committed.is_promise or committed.unit in ("日", "小时"):
            return None
        limits[member.item] = committed
    kinds = {d.unit for d in limits.values() if not d.is_immediate}
    if len(kinds) > 1 or find_cycle(bundle):
        return None
    finish: dict[str, Fraction] = {}
    for stage in stages(bundle, members):
        for member in stage:
            earlier = [finish[a] for a in member.after if a in finish]
            finish[member.item] = max(earlier, default=Fraction(0)) + limits[member.item].amount
    total = max(finish.values(), default=Fraction(0))
    unit: DurationUnit = next(iter(kinds), "即办")
    written = "即办" if unit == "即办" else f"{_number(total)}个{unit}"
    return Duration(total, unit, "", written)


def material_keys(bundle: Bundle) -> dict[tuple[str, str], str]:
    """(member, material name) → the shared name, from the bundle's explicit links."""
    keys: dict[tuple[str, str], str] = {}
    for shared in bundle.shared or ():
        for ref in shared.materials:
            item, _, name = ref.replace("：", ":", 1).partition(":")
            keys[(item, name.strip())] = shared.name
    return keys


def provided(bundle: Bundle, members: list[Member]) -> set[str]:
    """Names of the materials that members produce for later ones."""
    return {name for m in members for name in m.provides}


def materials(bundle: Bundle, procedures: Mapping[str, Procedure], situation: str | None = None) -> list[Needed]:
    """The one set of materials of the applicant in ``situation``: each once, with the members that require it,
    in the order of first appearance; what the department makes or fetches itself and what a member produces
    for another are left out."""
    members = chosen(bundle, situation)
    links, made = material_keys(bundle), provided(bundle, members)
    lines: dict[str, tuple[str, Material, list[Procedure], list[Material]]] = {}
    for member in members:
        p = procedures.get(member.item)
        if p is None:
            continue
        for material in p.materials or ():
            if not material.to_bring or material.name in made:
                continue
            shared = links.get((member.item, material.name))
            key = f"shared:{shared}" if shared else f"{material.name}\x00{material.source or ''}"
            _, _, needing, versions = lines.setdefault(key, (shared or material.name, material, [], []))
            if p not in needing:
                needing.append(p)
                versions.append(material)
    return [Needed(name, first, tuple(needing), tuple(versions)) for name, first, needing, versions in lines.values()]


def _number(amount: Fraction) -> str:
    return str(amount.numerator) if amount.denominator == 1 else f"{float(amount):g}"
