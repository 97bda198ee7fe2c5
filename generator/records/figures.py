"""What the case records say, as published: counts and rates, never a single case.

Every figure here is an aggregate.  How it is shown is decided once too: a
count of 1 to ``minimum - 1`` cases is shown as ``<5``, and a rate is only
computed from at least ``minimum`` cases, so that nobody can be recognised.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

RATINGS = ("非常满意", "满意", "基本满意", "不满意", "非常不满意")
"""好差评 levels, best first; the first three count as satisfied (好评)."""
SATISFIED = 3


@dataclass(frozen=True)
class Figures:
    """The cases of one item, department or the whole site in a period."""

    received: int = 0
    """办件量: cases accepted in the period."""
    finished: int = 0
    """办结量: cases decided in the period (办结, and 不予受理, 不予许可…)."""
    open: int = 0
    """在办: cases not decided at the end of the records."""
    counted: int = 0
    """Decided cases whose time could be measured (known item, stated limit, covered calendar)."""
    on_time: int = 0
    """Of those, decided within the committed limit (pauses for 补正 and 特别程序 left out)."""
    overdue: int = 0
    """超期件: decided late, plus cases still open past their deadline."""
    done: int = 0
    """Decided as 办结."""
    immediate: int = 0
    """Of those, on the day of acceptance (即办)."""
    online: int = 0
    """Received through the online channel."""
    channel_known: int = 0
    ratings: tuple[int, ...] = (0, 0, 0, 0, 0)
    """好差评 per level, in :data:`RATINGS` order."""
    mean_days: float | None = None
    """Mean time taken, in the item's limit unit (items only)."""
    median_days: float | None = None

    @property
    def rated(self) -> int:
        return sum(self.ratings)

    @property
    def satisfied(self) -> int:
        return sum(self.ratings[:SATISFIED])


@dataclass(frozen=True)
class Complaints:
    """效能投诉 about a department or the whole site in the period."""

    received: int = 0
    closed: int = 0
    upheld: int = 0
    """属实 or 部分属实."""


@dataclass(frozen=True)
class ItemPerformance:
    """What an item page says about its cases: one line (part of the page's cache key)."""

    figures: Figures
    minimum: int
    demo: bool
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class Performance:
    """Everything published from the records, for the last 12 months up to the newest record."""

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
    """By 实施编码."""
    item_months: tuple[tuple[str, str, Figures], ...] = ()
    """(实施编码, YYYY-MM, figures) for open data."""
    complaints: dict[str, Complaints] = field(default_factory=dict)
    """By department id; ``""`` for complaints that name no known department."""
    complaints_total: Complaints = field(default_factory=Complaints)
    excluded: dict[str, int] = field(default_factory=dict)
    """Decided cases left out of the on-time rate, by reason (unknown_item, no_limit, calendar)."""
    unknown_codes: int = 0
    """Cases whose 实施编码 is not an item of the site (in 办件量 only)."""
    rejected: int = 0
    """Rows left out entirely because they were wrong (see records check)."""
    rows: int = 0
    files: int = 0

    def item(self, code: str) -> ItemPerformance | None:
        figures = self.items.get(code)
        if figures is None or not figures.received + figures.finished:
            return None
        return ItemPerformance(figures, self.minimum, self.demo, self.start, self.end)


EXCLUDED = {
    "unknown_item": "实施编码不是本站事项",
    "no_limit": "承诺时限不能按日计算",
    "calendar": "日期超出节假日数据覆盖的年份",
}
"""Why a decided case is not in the on-time rate, as the page says it."""


def count_text(value: int, minimum: int) -> str:
    """A count as published: 1,234; 0; or <5 for 1 to minimum-1 cases."""
    if 0 < value < minimum:
        return f"<{minimum}"
    return f"{value:,}"


def rate_text(part: int, whole: int, minimum: int) -> str:
    """A rate as published: 98.6%, or — when fewer than ``minimum`` cases stand behind it."""
    if whole < minimum:
        return "—"
    return f"{100 * part / whole:.1f}%"


def rate_value(part: int, whole: int, minimum: int) -> float | None:
    """The same rate as a number (0–1) for open data, or None."""
    return None if whole < minimum else round(part / whole, 4)
