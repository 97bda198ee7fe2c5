"""Working days (工作日) and deadlines, the way the law counts them.

行政许可法 Art 82: time limits in working days exclude statutory holidays; a
make-up working day (调休) on a weekend counts.  Counting starts the day after
acceptance.  A limit in natural days (自然日) whose last day is not a working
day ends on the next working day.

The calendar is chinesecalendar's per-date data plus the overrides in
site.yml.  A date in a year that neither covers is never guessed: the deadline
is ``None``.  What the calculator may show for such a year is an *estimate*
(:meth:`WorkCalendar.estimate`, shown as 约… 仅供参考): it skips weekends and
the holidays fixed by date in 《全国年节及纪念日放假办法》, not the lunar holidays
or the make-up days that each year's notice arranges.
``assets/javascripts/deadline.js`` implements the same rules for the browser
from :func:`calendar_data`; a test holds the two together.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass

import chinese_calendar.constants as published

from .model import CalendarOverrides, DayKind, Duration

ONE_DAY = dt.timedelta(days=1)
FIXED_HOLIDAYS = ((1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3))
"""(month, day) of the holidays fixed by date (《全国年节及纪念日放假办法》, 2024 revision): 元旦 one day, 劳动节 two,
国庆节 three.  春节, 清明节, 端午节 and 中秋节 move with the lunar calendar or the solar terms."""


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are working days, for the years that are published."""

    holidays: frozenset[dt.date]
    """Statutory holidays that fall on Monday to Friday."""
    workdays: frozenset[dt.date]
    """Make-up working days that fall on a weekend."""
    years: frozenset[int]
    """Years whose holiday schedule is known."""

    @classmethod
    def load(cls, overrides: CalendarOverrides | None = None) -> WorkCalendar:
        """chinesecalendar's data, corrected and extended by site.yml."""
        overrides = overrides or CalendarOverrides()
        extra_holidays = _dates(overrides.holidays)
        extra_workdays = _dates(overrides.workdays)
        # An override names a working day that the package lists as a holiday, or the reverse.
        holidays = (set(published.holidays) | extra_holidays) - extra_workdays
        workdays = (set(published.workdays) | extra_workdays) - extra_holidays
        years = {d.year for d in published.holidays} | set(overrides.years or ())
        return cls(
            frozenset(d for d in holidays if d.weekday() < 5),
            frozenset(d for d in workdays if d.weekday() >= 5),
            frozenset(years),
        )

    def covers(self, day: dt.date) -> bool:
        return day.year in self.years

    def is_workday(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def deadline(self, accepted: dt.date, limit: Duration, kind: DayKind | None = None) -> dt.date | None:
        """The last day of a limit counted from acceptance, or None when the calendar does not reach it.

        ``kind`` is what a limit in 日 counts (the item decides, see ``Procedure.day_kind_of``); a limit of
        无 or in 日 of unknown kind has no deadline.
        """
        kind = kind or limit.day_kind
        if limit.is_none or (limit.unit == "日" and kind is None):
            return None
        if limit.unit in ("即办", "小时"):
            return accepted if self.covers(accepted) else None  # the same day
        if kind == "工作日":
            return self._after_workdays(accepted, math.ceil(limit.amount))
        return self._after_natural_days(accepted, math.ceil(limit.amount))

    def deadline_after_pauses(
        self,
        accepted: dt.date,
        limit: Duration,
        kind: DayKind | None = None,
        paused: Sequence[tuple[dt.date, dt.date]] = (),
    ) -> dt.date | None:
        """:meth:`deadline` for a case whose clock stopped (补正, 特别程序) for each ``paused`` period, given by its
        first and last day: the period adds the working days after its first day up to its last (a limit in
        working days), or the days between them (in natural days, and the same day of 即办).  None when the
        calendar does not reach a period.  The case records (:mod:`generator.records.engine`) count the same way;
        a test holds the SQL to this."""
        kind = kind or limit.day_kind
        immediate = limit.unit in ("即办", "小时")
        extra = self._paused(paused, "工作日" if kind == "工作日" and not immediate else "自然日")
        if self.deadline(accepted, limit, kind) is None or extra is None:
            return None
        if immediate:
            day = accepted + dt.timedelta(days=extra)
            return day if self.covers(day) else None
        if kind == "工作日":
            return self._after_workdays(accepted, math.ceil(limit.amount) + extra)
        return self._after_natural_days(accepted, math.ceil(limit.amount) + extra)

    def _paused(self, paused: Sequence[tuple[dt.date, dt.date]], kind: DayKind) -> int | None:
        """The days (of ``kind``) the clock stood still; None when the calendar does not reach a period."""
        if not all(self.covers(first) and self.covers(last) for first, last in paused):
            return None
        if kind == "工作日":
            return sum(self._workdays_in(first, last) for first, last in paused)
        return sum((last - first).days for first, last in paused)

    def _workdays_in(self, first: dt.date, last: dt.date) -> int:
        """The working days after ``first`` up to and including ``last``."""
        day, count = first, 0
        while day < last:
            day += ONE_DAY
            count += self.is_workday(day)
        return count

    def estimate(self, accepted: dt.date, limit: Duration, kind: DayKind | None = None) -> dt.date | None:
        """The last day as :meth:`deadline` counts it where the calendar reaches; in a year it does not, skipping
        weekends and the fixed holidays only (an estimate to be shown with its caveat); None for limits without
        a deadline."""
        kind = kind or limit.day_kind
        if limit.is_none or (limit.unit == "日" and kind is None):
            return None
        if limit.unit in ("即办", "小时"):
            return accepted
        count = math.ceil(limit.amount)
        day = accepted
        if kind == "工作日":
            while count > 0:
                day += ONE_DAY
                count -= not self._rest_day(day)
            return day
        day += dt.timedelta(days=count)
        while self._rest_day(day):
            day += ONE_DAY
        return day

    def _rest_day(self, day: dt.date) -> bool:
        """A day off: by the calendar where it has data, else a weekend or a fixed holiday."""
        if self.covers(day):
            return not self.is_workday(day)
        return day.weekday() >= 5 or (day.month, day.day) in FIXED_HOLIDAYS

    def later_start(
        self, first: tuple[Duration, DayKind | None], second: tuple[Duration, DayKind | None]
    ) -> dt.date | None:
        """An acceptance date in the last two covered years on which ``first`` ends after ``second``, or None."""
        for year in sorted(self.years)[-2:]:
            day = dt.date(year, 1, 1)
            while day.year == year:
                a, b = self.deadline(day, *first), self.deadline(day, *second)
                if a is not None and b is not None and a > b:
                    return day
                day += ONE_DAY
        return None

    def _after_workdays(self, accepted: dt.date, count: int) -> dt.date | None:
        day = accepted
        if not self.covers(day):
            return None
        while count > 0:
            day += ONE_DAY
            if not self.covers(day):
                return None
            count -= self.is_workday(day)
        return day

    def _after_natural_days(self, accepted: dt.date, count: int) -> dt.date | None:
        day = accepted + dt.timedelta(days=count)
        while self.covers(day) and not self.is_workday(day):
            day += ONE_DAY
        return day if self.covers(accepted) and self.covers(day) else None


def _dates(written: tuple[str, ...] | None) -> set[dt.date]:
    return {dt.date.fromisoformat(d) for d in written or ()}


def calendar_data(calendar: WorkCalendar) -> dict[str, object]:
    """The calendar as compact JSON-able data for deadline.js: per year, MMDD lists."""

    def by_year(days: frozenset[dt.date]) -> dict[str, str]:
        years: dict[str, list[str]] = {}
        for day in sorted(days):
            years.setdefault(str(day.year), []).append(day.strftime("%m%d"))
        return {year: " ".join(days) for year, days in years.items()}

    return {
        "years": sorted(calendar.years),
        "holidays": by_year(calendar.holidays),
        "workdays": by_year(calendar.workdays),
        "fixed": [f"{month:02d}{day:02d}" for month, day in FIXED_HOLIDAYS],
    }


def calendar_script(calendar: WorkCalendar) -> str:
    """``assets/javascripts/calendar-data.js``: the calendar, embedded at build time."""
    data = json.dumps(calendar_data(calendar), separators=(",", ":"))
    header = "// 由 python -m generator 根据 chinesecalendar 和 procedures/site.yml 生成。"
    return f"{header}\nwindow.BANSHI_CALENDAR = {data};\n"
