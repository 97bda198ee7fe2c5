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

from dataclasses import dataclass
from fractions import Fraction

from ..model import Catalog, Department, Procedure


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
