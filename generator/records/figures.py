"""What the case records say: the true aggregates (never published as they are) and the published figures.

The engine computes :class:`Aggregates`; :func:`generator.records.publish.publish`
turns them into :class:`Performance`, in which every count that could reveal a
small number of cases, alone or combined with the others, is ``None`` (hidden).
The renderers see only :class:`Performance`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

RATINGS = ("非常满意", "满意", "基本满意", "不满意", "非常不满意")
"""好差评 levels, best first; the first three count as satisfied (好评)."""
SATISFIED = 3

COUNTS = ("received", "online", "finished", "done", "immediate", "counted", "on_time", "late", "open", "open_overdue",
          "rated", "satisfied")  # fmt: skip
"""The published counts of a group, in the order of the open data."""

PARTS = (
    ("received", ("online", "offline")),
    ("finished", ("done", "refused")),
    ("done", ("immediate", "later")),
    ("finished", ("counted", "uncounted")),
    ("counted", ("on_time", "late")),
    ("open", ("open_overdue", "open_in_time")),
    ("finished", ("rated", "unrated")),
    ("rated", ("satisfied", "unsatisfied")),
)
"""How each count splits into parts: (whole, parts).  A part that is not in :data:`COUNTS` is never printed, but
anyone can subtract, so it is a count too and protected like the others."""
RESTS = tuple(part for _, parts in PARTS for part in parts if part not in COUNTS)
"""The counts that are never printed but follow from the printed ones (offline, refused, later…)."""


@dataclass(frozen=True)
class Figures:
    """The cases of one item, department, month or the whole site in a period (true counts)."""

    received: int = 0
    """办件量: cases accepted in the period."""
    online: int = 0
    """Of those, received through the online channel."""
    finished: int = 0
    """办结量: cases decided in the period (办结, and 不予受理, 不予许可…)."""
    done: int = 0
    """Of those, decided as 办结."""
    immediate: int = 0
    """Of those, on the day of acceptance (即办)."""
    counted: int = 0
    """Decided cases whose time could be measured (stated limit, covered calendar)."""
    on_time: int = 0
    """Of those, decided within the committed limit (pauses for 补正 and 特别程序 left out)."""
    open: int = 0
    """在办: cases not decided at the end of the records."""
    open_overdue: int = 0
    """在办超期: of those, past their deadline at the end of the records."""
    rated: int = 0
    """Decided cases with a 好差评 rating."""
    satisfied: int = 0
    """Of those, rated 非常满意, 满意 or 基本满意."""
    ratings: tuple[int, ...] = (0, 0, 0, 0, 0)
    """好差评 per level, in :data:`RATINGS` order."""

    @property
    def late(self) -> int:
        """超期办结: decided after the committed limit."""
        return self.counted - self.on_time

    def value(self, name: str) -> int:
        """A count by name, including the parts that are never printed (offline, unsatisfied…)."""
        for whole, parts in PARTS:
            if name in parts and name in RESTS:
                return self.value(whole) - sum(self.value(p) for p in parts if p != name)
        return int(getattr(self, name))


@dataclass(frozen=True)
class Complaints:
    """效能投诉 about a department, or none named, in the period (true counts)."""

    received: int = 0
    closed: int = 0
    upheld: int = 0
    """属实 or 部分属实."""


@dataclass(frozen=True)
class Aggregates:
    """Everything the engine computes from the records, for the last 12 months up to the newest record.

    Only cases of the site's items are in ``site``, ``months``, ``departments`` and ``items`` (so that each is the
    sum of the others); cases with an unknown 实施编码 are counted in ``unknown_codes`` only."""

    start: dt.date
    """First day of the first month."""
    end: dt.date
    """The newest date in the records (the figures are as of this day)."""
    minimum: int
    demo: bool
    site: Figures
    months: tuple[tuple[str, Figures], ...]
    """The whole site, month by month (YYYY-MM), oldest first."""
    departments: dict[str, Figures] = field(default_factory=dict)
    items: dict[str, Figures] = field(default_factory=dict)
    """By 实施编码; items with cases only."""
    owners: dict[str, str] = field(default_factory=dict)
    """The department of each item in ``items``."""
    complaints: dict[str, Complaints] = field(default_factory=dict)
    """By department id; ``""`` for complaints that name no known department."""
    excluded: dict[str, int] = field(default_factory=dict)
    """Decided cases left out of the on-time rate, by reason (no_limit, calendar)."""
    unknown_codes: int = 0
    """Cases received in the period whose 实施编码 is not an item of the site."""
    rejected: int = 0
    """Rows left out entirely because they were wrong (see records check)."""
    rows: int = 0
    files: int = 0

    @property
    def complaints_total(self) -> Complaints:
        values = self.complaints.values()
        return Complaints(*(sum(getattr(c, name) for c in values) for name in ("received", "closed", "upheld")))


EXCLUDED = {
    "no_limit": "承诺时限不能按日计算",
    "calendar": "日期超出节假日数据覆盖的年份",
}
"""Why a decided case is not in the on-time rate, as the page says it."""

Count = int | None
"""A published count: the number, or None where it is hidden."""


@dataclass(frozen=True)
class Shown:
    """The counts of one group as published: None where hidden (see :mod:`generator.records.disclosure`)."""

    received: Count = 0
    online: Count = 0
    finished: Count = 0
    done: Count = 0
    immediate: Count = 0
    counted: Count = 0
    on_time: Count = 0
    late: Count = 0
    open: Count = 0
    open_overdue: Count = 0
    rated: Count = 0
    satisfied: Count = 0


@dataclass(frozen=True)
class ShownComplaints:
    received: Count = 0
    closed: Count = 0
    upheld: Count = 0


RATES = {
    "on_time": ("on_time", "counted"),
    "immediate": ("immediate", "done"),
    "online": ("online", "received"),
    "satisfied": ("satisfied", "rated"),
}
"""The published rates: (part, whole) of :class:`Shown`.  A rate is only a quotient of two published counts, so it
tells nothing that they do not."""


def rate(shown: Shown, name: str, minimum: int) -> float | None:
    """A rate (0–1), or None when either count is hidden or fewer than ``minimum`` cases stand behind it."""
    part: Count = getattr(shown, RATES[name][0])
    whole: Count = getattr(shown, RATES[name][1])
    if part is None or whole is None or whole < minimum:
        return None
    return part / whole


@dataclass(frozen=True)
class ItemPerformance:
    """What an item page says about its cases: one line (part of the page's cache key)."""

    figures: Shown
    minimum: int
    demo: bool
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class Performance:
    """Everything published from the records: aggregates after disclosure control (hidden counts are None)."""

    start: dt.date
    end: dt.date
    minimum: int
    demo: bool
    site: Shown
    months: tuple[tuple[str, Shown], ...]
    departments: dict[str, Shown]
    items: dict[str, Shown]
    ratings: tuple[Count, ...]
    complaints: dict[str, ShownComplaints]
    complaints_total: ShownComplaints
    excluded: dict[str, Count]
    unknown_codes: Count
    rejected: Count

    def item(self, code: str) -> ItemPerformance | None:
        shown = self.items.get(code)
        if shown is None:
            return None
        return ItemPerformance(shown, self.minimum, self.demo, self.start, self.end)


HIDDEN = "*"
"""How a hidden count is printed (page and CSV); open data JSON has null."""


def count_text(value: Count) -> str:
    """A count as published: 1,234; 0; or * when hidden."""
    return HIDDEN if value is None else f"{value:,}"


def rate_text(value: float | None) -> str:
    """A rate as published: 98.6%, or — when it cannot be told."""
    return "—" if value is None else f"{100 * value:.1f}%"
