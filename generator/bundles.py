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

from collections.abc import Iterator, Mapping
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
    notes: tuple[str, ...] = ()
    """For each member, when it is not always applied for: 按需办理, 仅限 (the situations)."""

    @property
    def same(self) -> bool:
        """Whether every member states it alike (required, originals, copies, unit, source): then it is shown once;
        otherwise each member's statement is shown."""
        return len({_statement(m) for m in self.versions}) == 1

    @property
    def stated(self) -> list[tuple[Procedure, Material]]:
        """Each member that requires it, with its own statement of it."""
        return list(zip(self.members, self.versions, strict=True))

    @property
    def needing(self) -> list[tuple[Procedure, str]]:
        """The members that require it, with the note on when each is applied for."""
        notes = self.notes or ("",) * len(self.members)
        return list(zip(self.members, notes, strict=True))

    @property
    def disagreements(self) -> list[str]:
        """What the members state differently about the number of originals and copies, in words (when each
        requires it is their own: the page shows each statement, and differing conditions are no mistake)."""
        found = []
        for label, values in (
            ("原件", [_count_words(m.original) for m in self.versions]),
            ("复印件", [_count_words(m.copies) for m in self.versions]),
        ):
            if len(set(values)) > 1:
                found.append(
                    f"{label}：" + "，".join(f"{p.name} {v}" for p, v in zip(self.members, values, strict=True))
                )
        return found


def _statement(m: Material) -> tuple[object, ...]:
    return (m.required, m.original, m.copies, m.unit, m.source)


def _count_words(count: int | None) -> str:
    return "未写" if count is None else f"{count} 份"


def material_ref(ref: str) -> tuple[str, str]:
    """``部门/事项：材料名称`` (a full-width or ASCII colon) → (部门/事项, 材料名称)."""
    item, _, name = ref.replace("：", ":", 1).partition(":")
    return item.strip(), name.strip()


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


def waits_for(bundle: Bundle, item: str) -> set[str]:
    """The members that ``item`` waits for, directly or through others."""
    found: set[str] = set()
    todo = [item]
    while todo:
        member = bundle.member(todo.pop())
        for earlier in member.after if member else ():
            if earlier not in found:
                found.add(earlier)
                todo.append(earlier)
    return found


def stages(bundle: Bundle, members: list[Member] | None = None) -> list[list[Member]]:
    """The members in stages: each stage waits only for earlier ones (the order has no cycle)."""
    todo = list(members if members is not None else bundle.members)
    names = {m.item for m in todo}
    done: set[str] = set()
    found: list[list[Member]] = []
    while todo:
        ready = [m for m in todo if _ready(m, done, names)] or todo  # none ready: a cycle, validate reports it
        found.append(ready)
        done |= {m.item for m in ready}
        todo = [m for m in todo if m not in ready]
    return found


def _ready(member: Member, done: set[str], names: set[str]) -> bool:
    """Every member that ``member`` waits for, among ``names``, is done."""
    return all(a in done or a not in names for a in member.after)


def committed_total(bundle: Bundle, procedures: Mapping[str, Procedure], members: list[Member]) -> Duration | None:
    """The members' promised times added along the order (the longest chain of ``after``), when every member
    states a promise and they are all counted in the same kind of days; None otherwise."""
    limits = _promises(procedures, members)
    kinds = {d.unit for d in (limits or {}).values() if not d.is_immediate}
    if limits is None or len(kinds) > 1 or find_cycle(bundle):
        return None
    total = _longest_chain(bundle, members, limits)
    unit: DurationUnit = next(iter(kinds), "即办")
    written = "即办" if unit == "即办" else f"{_number(total)}个{unit}"
    return Duration(total, unit, "", written)


def _longest_chain(bundle: Bundle, members: list[Member], limits: dict[str, Duration]) -> Fraction:
    """The time until the last member is done when each starts as soon as those it waits for are."""
    finish: dict[str, Fraction] = {}
    for stage in stages(bundle, members):
        for member in stage:
            earlier = [finish[a] for a in member.after if a in finish]
            finish[member.item] = max(earlier, default=Fraction(0)) + limits[member.item].amount
    return max(finish.values(), default=Fraction(0))


def _promises(procedures: Mapping[str, Procedure], members: list[Member]) -> dict[str, Duration] | None:
    """Each member's promised time counted in working or natural days; None when one is not stated so, or has a
    note (不含公告期): a sum would drop what the note leaves out."""
    limits: dict[str, Duration] = {}
    for member in members:
        p = procedures.get(member.item)
        committed = p.time_limits.committed if p and p.time_limits else None
        if committed is None or not committed.is_promise or committed.unit in ("日", "小时") or committed.note:
            return None
        limits[member.item] = committed
    return limits


def material_keys(bundle: Bundle) -> dict[tuple[str, str], str]:
    """(member, material name) → the shared name, from the bundle's explicit links."""
    keys: dict[tuple[str, str], str] = {}
    for shared in bundle.shared or ():
        for ref in shared.materials:
            keys[material_ref(ref)] = shared.name
    return keys


def provided(procedures: Mapping[str, Procedure], members: list[Member]) -> list[str]:
    """Names of the materials that ``members`` produce for later ones among them (in the order written)."""
    asked = {m.name for member in members if member.item in procedures for m in procedures[member.item].materials or ()}
    return list(dict.fromkeys(name for m in members for name in m.provides if name in asked))


def member_notes(bundle: Bundle, situation: str | None) -> dict[str, str]:
    """When each member is applied for, where not always: 按需办理, and (for all situations) 仅限 the situations
    that include it."""
    situations = bundle.situations or ()
    notes: dict[str, str] = {}
    for m in bundle.members:
        including = [s.name for s in situations if m.item in s.members]
        parts = ["按需办理"] if m.optional else []
        if situation is None and situations and len(including) < len(situations):
            parts.append("仅限" + "、".join(including) if including else "不在任何情形中")
        notes[m.item] = "，".join(parts)
    return notes


def materials(bundle: Bundle, procedures: Mapping[str, Procedure], situation: str | None = None) -> list[Needed]:
    """The one set of materials of the applicant in ``situation``: each once, with the members that require it,
    in the order of first appearance; what the department makes or fetches itself and what a member produces
    for another are left out."""
    members = chosen(bundle, situation)
    links, made, notes = material_keys(bundle), set(provided(procedures, members)), member_notes(bundle, situation)
    lines: dict[str, tuple[str, Material, list[Procedure], list[Material]]] = {}
    for item, p, material in _brought(procedures, members, made):
        shared = links.get((item, material.name))
        key = f"shared:{shared}" if shared else f"{material.name}\x00{material.source or ''}"
        _, _, needing, versions = lines.setdefault(key, (shared or material.name, material, [], []))
        if p not in needing:
            needing.append(p)
            versions.append(material)
    return [
        Needed(name, first, tuple(needing), tuple(versions), tuple(notes[p.slug] for p in needing))
        for name, first, needing, versions in lines.values()
    ]


def _brought(
    procedures: Mapping[str, Procedure], members: list[Member], made: set[str]
) -> Iterator[tuple[str, Procedure, Material]]:
    """Each member's materials that the applicant brings (with the member's ``部门/事项``), less those another
    member produces."""
    for member, p in ((m, procedures[m.item]) for m in members if m.item in procedures):
        for material in p.materials or ():
            if material.to_bring and material.name not in made:
                yield member.item, p, material


def _number(amount: Fraction) -> str:
    return str(amount.numerator) if amount.denominator == 1 else f"{float(amount):g}"
