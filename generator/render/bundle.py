"""What a 一件事 page, its chart and its printed forms show: the bundle, its members as items of their departments,
the order in stages, the one set of materials of each situation, and the sum of the members' promises when
:func:`generator.bundles.committed_total` finds one.

Nothing here adds what the bundle file does not state: the bundle's own time limit, visits and fees are its own
(未公布 when it does not say them), and the sum along the order is shown beside them under its own name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..bundles import Needed, chosen, committed_total, materials, stages
from ..contract.values import Duration
from ..contract.vocab import is_catch_all
from ..model import (
    Bodies,
    Bundle,
    BundleSituation,
    Catalog,
    Department,
    Member,
    Procedure,
    Site,
    in_site_region,
    is_complaint_label,
)
from ..versions import Coverage, Entry, first_published
from .flowchart import LINE_COLOR, dot_attrs, label
from .fonts import FONT
from .view import ItemView


@dataclass(frozen=True)
class MemberView:
    """One member: the item, its department, its stage (from 1) and the members it waits for."""

    member: Member
    view: ItemView
    """The item as its own page shows it (its refusals, with the positions of every department it involves)."""
    stage: int
    waits_for: tuple[Procedure, ...]
    situations: tuple[str, ...]
    """The situations that include it (empty: all of them, or the bundle has none)."""

    @property
    def procedure(self) -> Procedure:
        return self.view.procedure

    @property
    def department(self) -> Department:
        return self.view.department


@dataclass(frozen=True)
class SituationView:
    situation: BundleSituation
    members: tuple[Procedure, ...]
    total: Duration | None
    needed: tuple[Needed, ...]
    """The materials an applicant in it brings, each once."""


@dataclass(frozen=True)
class BundleView:
    """Everything a bundle's pages show."""

    bundle: Bundle
    lead: Department
    site: Site
    members: tuple[MemberView, ...]
    needed: tuple[Needed, ...]
    """The materials of all members, each once."""
    total: Duration | None
    """各事项承诺时限合计 of all members, when the members' promises add up (see the module)."""
    situations: tuple[SituationView, ...]
    entries: tuple[Entry, ...] = ()
    last_changed: str = ""
    published: str = ""
    coverage: Coverage = field(default_factory=Coverage)

    @classmethod
    def of(cls, catalog: Catalog, bundle: Bundle, entries: tuple[Entry, ...] = (), last: str = "",
           coverage: Coverage | None = None) -> BundleView:  # fmt: skip
        items = {p.slug: p for p in catalog.procedures}
        members = _member_views(catalog, bundle, items)
        views = tuple(
            SituationView(
                s,
                tuple(items[m.item] for m in chosen(bundle, s.id) if m.item in items),
                committed_total(bundle, items, chosen(bundle, s.id)),
                tuple(materials(bundle, items, s.id)),
            )
            for s in bundle.situations or ()
        )
        total = committed_total(bundle, items, list(bundle.members))
        first = first_published(entries)
        return cls(
            bundle, catalog.department(bundle.lead), catalog.site, tuple(members), tuple(materials(bundle, items)),
            total, views,
            entries, last, first, coverage or Coverage(),
        )  # fmt: skip

    @property
    def description(self) -> str:
        """The page's one-line description (for search engines and link previews)."""
        b = self.bundle
        committed = b.committed
        said = f"承诺 {committed}" if committed else "时限未公布"
        return f"{b.name}：{len(self.members)} 个事项一次办理，{self.lead.name}牵头，{said}。"

    @property
    def place(self) -> str | None:
        return self.bundle.place or self.lead.address

    @property
    def hours(self) -> str | None:
        return self.bundle.hours or self.lead.hours

    @property
    def phone(self) -> str | None:
        """The bundle's consultation number, else the lead department's."""
        asking = [c.phone for c in self.bundle.contacts or () if c.phone and not is_complaint_label(c.label)]
        return next(iter(asking), None) or self.lead.phone

    @property
    def phone_label(self) -> str:
        return "咨询电话"

    @property
    def bodies(self) -> Bodies:
        return Bodies.of(self.site, self.lead)

    @property
    def notice_promise(self) -> str | None:
        """The 一次性告知 promise of the lead department (or the site), as on an item's checklist; never when a
        member asks for a catch-all material."""
        if any(is_catch_all(needed.name) for needed in self.needed):
            return None
        local = in_site_region(self.site, self.lead)
        return self.lead.notice_promise or (self.site.notice_promise if local else None)

    @property
    def optional(self) -> bool:
        return any(m.member.optional for m in self.members)


def _member_views(catalog: Catalog, bundle: Bundle, items: dict[str, Procedure]) -> list[MemberView]:
    """The members stage by stage, each with what it waits for and the situations it is limited to."""
    members = []
    for number, stage in enumerate(stages(bundle), start=1):
        for m in (m for m in stage if m.item in items):  # validate reports a member that is not an item
            waits = tuple(items[a] for a in m.after if a in items)
            members.append(MemberView(m, ItemView.of(catalog, items[m.item]), number, waits, _limited_to(bundle, m)))
    return members


def _limited_to(bundle: Bundle, member: Member) -> tuple[str, ...]:
    """The ids of the situations that include ``member``; empty when all do (or there are none)."""
    situations = bundle.situations or ()
    including = tuple(s.id for s in situations if member.item in s.members)
    return () if len(including) == len(situations) else including


def bundle_dot(view: BundleView) -> str:
    """The DOT source of a bundle's chart: one application, the members in their departments' lanes (parallel side
    by side, in order one after another), and the end."""
    lines = [
        "digraph bundle {",
        f'  graph [rankdir="TB", fontname="{FONT}", fontsize="11", nodesep="0.3", ranksep="0.35", newrank="true"];',
        f'  node [fontname="{FONT}", fontsize="11", shape="box", color="{LINE_COLOR}", margin="0.08,0.04"];',
        f'  edge [color="{LINE_COLOR}", arrowsize="0.7"];',
        "  apply [" + dot_attrs({"shape": "oval", "label": label(("b", "一次申请"), ("small", view.lead.name))}) + "];",
        "  done [" + dot_attrs({"shape": "oval", "label": label(("b", "办结"))}) + "];",
    ]
    ids = {m.procedure.slug: f"m{i}" for i, m in enumerate(view.members)}
    lanes: dict[str, list[MemberView]] = {}
    for m in view.members:
        lanes.setdefault(m.department.id, []).append(m)
    for number, members in enumerate(lanes.values()):
        lines += _lane(number, members, ids)
    lines += _edges(view, ids)
    lines.append("}")
    return "\n".join(lines) + "\n"


def _lane(number: int, members: list[MemberView], ids: dict[str, str]) -> list[str]:
    """One department's lane of the bundle chart: its members, dashed when optional."""
    lines = [f"  subgraph cluster_{number} {{"]
    lane = {"label": label(("b", members[0].department.name)), "style": "rounded", "color": "#b0bec5"}
    lines += [f"    {dot_attrs({key: value})};" for key, value in lane.items()]
    for m in members:
        limit = m.procedure.committed
        said = "承诺时限未公布" if limit is None else "即办" if limit.is_immediate else f"承诺 {limit}"
        parts = [("b", m.procedure.name), ("small", said)]
        if m.member.optional:
            parts.append(("small", "按需办理"))
        style = {"style": "dashed"} if m.member.optional else {}
        lines.append(f"    {ids[m.procedure.slug]} [" + dot_attrs({**style, "label": label(*parts)}) + "];")
    lines.append("  }")
    return lines


def _edges(view: BundleView, ids: dict[str, str]) -> list[str]:
    """The order of the bundle chart: from the application, after the members waited for, to the delivery."""
    lines = []
    waited = {a.slug for m in view.members for a in m.waits_for}
    for m in view.members:
        node = ids[m.procedure.slug]
        lines += [f"  {ids[earlier.slug]} -> {node};" for earlier in m.waits_for]
        if not m.waits_for:
            lines.append(f"  apply -> {node};")
        if m.procedure.slug not in waited:
            lines.append(f"  {node} -> done;")
    return lines
