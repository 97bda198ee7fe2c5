"""效能公开: the numbers behind the statistics page, computed from the catalog.

Compression is how much the committed time limit undercuts the statutory one,
(法定 − 承诺) ÷ 法定, per item; departments and the city get the mean of
their items.  Items whose statutory limit is 即办, 无 or not stated, or counts
other days than the committed one, have nothing to compare and are left out
of the means.  Shares count only what items state: an item that does not say
how many visits it takes is not counted as 最多跑一次, and the page says how
many items did not say.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from fractions import Fraction

from markupsafe import Markup

from ..model import Catalog, Department, Procedure
from ..records.figures import Performance
from .barchart import Bar, bar_chart
from .completeness import Completeness, combined
from .performance import RecordsPage
from .performance import page as records_page


@dataclass(frozen=True)
class Compression:
    """One item's committed limit against its statutory one."""

    procedure: Procedure
    ratio: Fraction
    """(法定 − 承诺) ÷ 法定, from 0 (no compression) to 1 (即办)."""


@dataclass(frozen=True)
class DepartmentRow:
    department: Department
    count: int
    by_type: dict[str, int]
    """Item type → number of items, for every type of the site (zeros included)."""
    compression: Fraction | None
    """Mean compression of the department's items, or None when none can be compressed."""


@dataclass(frozen=True)
class Statistics:
    total: int
    types: tuple[str, ...]
    """The item types that occur, in the site's order."""
    departments: tuple[DepartmentRow, ...]
    immediate: int
    """即办件."""
    one_visit: int
    """最多跑一次: at most one visit, as stated."""
    visits_unstated: int
    """Items that do not state how many visits they take."""
    online: int
    """全程网办."""
    online_unstated: int
    """Items that do not state whether they can be done online."""
    compression: Fraction | None
    """Mean compression over all items that have one."""
    ranked: tuple[Compression, ...]
    """Items by compression, largest first."""

    def share(self, count: int) -> Fraction:
        return Fraction(count, self.total) if self.total else Fraction(0)


def compression(p: Procedure) -> Compression | None:
    """How much the committed limit undercuts the statutory one, when both are stated promises counted in the same,
    known kind of day (an item whose limits vary by situation has no one compression)."""
    statutory, committed = p.statutory, p.committed
    if statutory is None or committed is None or not (statutory.is_promise and committed.is_promise):
        return None
    if statutory.days == 0:
        return None
    kinds = (p.day_kind_of(statutory), p.day_kind_of(committed))
    if not committed.is_immediate and (None in kinds or kinds[0] != kinds[1]):
        return None
    return Compression(p, (statutory.days - committed.days) / statutory.days)


def _mean(values: list[Fraction]) -> Fraction | None:
    return sum(values, Fraction(0)) / len(values) if values else None


def statistics(catalog: Catalog) -> Statistics:
    items = catalog.procedures
    types = tuple(t for t in catalog.site.type_names if any(p.type == t for p in items))
    compressions = [c for c in map(compression, items) if c is not None]
    rows = []
    for d in catalog.departments:
        own = catalog.items_of(d.id)
        by_type = {t: sum(p.type == t for p in own) for t in types}
        ratios = [c.ratio for c in compressions if c.procedure.department == d.id]
        rows.append(DepartmentRow(d, len(own), by_type, _mean(ratios)))
    return Statistics(
        total=len(items),
        types=types,
        departments=tuple(rows),
        immediate=sum(p.kind == "即办件" for p in items),
        one_visit=sum(p.visits is not None and p.visits <= 1 for p in items),
        visits_unstated=sum(p.visits is None for p in items),
        online=sum(p.online is not None and p.online.level == "全程网办" for p in items),
        online_unstated=sum(p.online is None for p in items),
        compression=_mean([c.ratio for c in compressions]),
        ranked=tuple(sorted(compressions, key=lambda c: (-c.ratio, c.procedure.slug))),
    )


def percent(value: Fraction | None) -> str:
    """A share as a percentage with one decimal, e.g. ``62.5%``; a dash when there is none."""
    if value is None:
        return "—"
    return f"{float(value) * 100:.1f}%"


CONVENIENCE = (("即办件", "immediate", "guide/immediate.md"), ("最多跑一次", "one_visit", "guide/one-visit.md"),
               ("全程网办", "online", "guide/online.md"))  # fmt: skip
"""The measures of 办事便利度: name, the field of :class:`Statistics` that counts it, the list of those items."""


@dataclass(frozen=True)
class StatsPage:
    """Everything the statistics page (stats.md.j2) shows, by name."""

    s: Statistics
    charts: Mapping[str, Markup]
    convenience: tuple[tuple[str, int, str], ...]
    """(measure, items, the page that lists them)."""
    compared: Mapping[str, int]
    """Department id → its items whose compression is computed."""
    ranking: tuple[tuple[str, tuple[Compression, ...]], ...]
    type_totals: Mapping[str, int]
    scores: Mapping[str, Completeness]
    """Item slug → its 公开完整度."""
    by_department: tuple[tuple[Department, Completeness], ...]
    overall: Completeness
    incomplete: tuple[Procedure, ...]
    """The ten least complete items."""
    records: RecordsPage | None

    def context(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def stats_page(
    catalog: Catalog, scores: Mapping[str, Completeness], performance: Performance | None, links: dict[str, str]
) -> StatsPage:
    """The statistics page of ``catalog``; ``links`` are the department pages' addresses from it."""
    s = statistics(catalog)
    convenience = tuple((name, getattr(s, field), page) for name, field, page in CONVENIENCE)
    rows = s.departments
    incomplete = sorted(
        (p for p in catalog.procedures if not scores[p.slug].complete), key=lambda p: (scores[p.slug].ratio, p.slug)
    )
    return StatsPage(
        s=s,
        charts=_charts(s, convenience),
        convenience=convenience,
        compared={r.department.id: sum(c.procedure.department == r.department.id for c in s.ranked) for r in rows},
        ranking=(("压缩最多的事项", s.ranked[:5]), ("压缩最少的事项", s.ranked[::-1][:5])),
        type_totals={t: sum(r.by_type[t] for r in rows) for t in s.types},
        scores=scores,
        by_department=tuple((d, combined(scores[p.slug] for p in catalog.items_of(d.id))) for d in catalog.departments),
        overall=combined(scores.values()),
        incomplete=tuple(incomplete[:10]),
        records=records_page(performance, catalog, links) if performance else None,
    )


def _charts(s: Statistics, convenience: tuple[tuple[str, int, str], ...]) -> dict[str, Markup]:
    rows = s.departments
    return {
        "convenience": bar_chart(
            "chart-convenience",
            "即办件、最多跑一次和全程网办事项的占比",
            [Bar(name, float(s.share(count)), percent(s.share(count))) for name, count, _ in convenience],
            1.0,
            "stat-convenience",
        ),
        "departments": bar_chart(
            "chart-departments",
            "各部门公开的事项数",
            [Bar(r.department.label, r.count, f"{r.count} 项") for r in rows],
            max((r.count for r in rows), default=1),
            "stat-departments",
        ),
        "compression": bar_chart(
            "chart-compression",
            "各部门承诺时限比法定时限平均压缩的比例",
            [Bar(r.department.label, float(r.compression or 0), percent(r.compression)) for r in rows],
            1.0,
            "stat-compression",
        ),
    }
