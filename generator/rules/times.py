"""The checks of an item's time limits: the committed limit against the statutory one (by the calendar when they
count different days), the critical path against the committed limit, and one kind of day for what is added up."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic
from ..model import Duration, Procedure, TimeLimits, days_text
from ..steps import critical_path

if TYPE_CHECKING:
    from .item import ItemCheck


def check_times(check: ItemCheck) -> list[Diagnostic]:
    found = list(_check_day_kinds(check))
    if found:
        return found
    p = check.procedure
    committed = p.committed
    if p.time_limits is None and not p.stated_everywhere(lambda v: v.committed):
        found.append(check.warning("time_limits", "not_stated", what="承诺办结时限（本事项或每个办理情形）"))
    if p.kind == "即办件" and committed is not None and not committed.is_immediate:
        found.append(check.warning("time_limits.committed", "immediate_not_immediate", value=committed))
    if p.time_limits is not None:
        found += _check_against_statutory(check, p.time_limits, "time_limits")
    for index, situation in enumerate(p.situations or ()):
        if situation.time_limits is not None:
            limits = TimeLimits(
                statutory=situation.time_limits.statutory or p.statutory,
                committed=situation.time_limits.committed,
            )
            found += _check_against_statutory(check, limits, f"situations[{index}].time_limits")
    if not check.flow_problems and all(s.time is not None for s in p.flow if not (s.end or s.by_applicant)):
        found += _check_path(check)
    return found


def _check_against_statutory(check: ItemCheck, limits: TimeLimits, where: str) -> list[Diagnostic]:
    p = check.procedure
    committed, statutory = limits.committed, limits.statutory
    if statutory is None or statutory.is_none or committed.lower:
        return []  # a lower bound promises no latest day to compare
    key = f"{where}.committed"
    kinds = (p.day_kind_of(committed), p.day_kind_of(statutory))
    if any(limit.unit == "日" and p.day_kind_of(limit) is None for limit in (committed, statutory)):
        why = "事项类型未公布，无法确定“日”按工作日还是自然日计算"
        return [check.warning(key, "cannot_compare", committed=committed, statutory=statutory, why=why)]
    if kinds[0] and kinds[1] and kinds[0] != kinds[1]:
        return _compare_with_calendar(check, (committed, kinds[0]), (statutory, kinds[1]), key)
    if committed.days > statutory.days:
        return [check.error(key, "committed_exceeds_statutory", committed=committed, statutory=statutory)]
    if committed.days == statutory.days and not committed.is_immediate:
        return [check.warning(key, "committed_equals_statutory", value=committed)]
    return []


def _compare_with_calendar(
    check: ItemCheck, committed: tuple[Duration, str], statutory: tuple[Duration, str], key: str
) -> list[Diagnostic]:
    """Limits counted in different days: compare their deadlines for every acceptance date the calendar covers."""
    if not check.calendar.years:
        why = "日历中没有节假日数据"
        return [check.warning(key, "cannot_compare", committed=committed[0], statutory=statutory[0], why=why)]
    late = check.calendar.later_start(committed, statutory)  # type: ignore[arg-type]
    if late is None:
        return []
    return [
        check.error(key, "committed_later_than_statutory", committed=committed[0], statutory=statutory[0], date=late)
    ]


def _check_path(check: ItemCheck) -> list[Diagnostic]:
    """The critical path fits in the committed limit, the item's and every situation's."""
    p = check.procedure
    if not p.flow:
        return []
    path, total = critical_path(p)
    names = " → ".join(p.step(s).name for s in path)
    total_text = days_text(total, p.day_kind)
    limits = [("time_limits.committed", p.committed)]
    limits += [
        (f"situations[{i}].time_limits.committed", s.time_limits.committed)
        for i, s in enumerate(p.situations or ())
        if s.time_limits is not None
    ]
    return [
        check.error(key, "path_exceeds_committed", path=names, total=total_text, committed=committed)
        for key, committed in limits
        if committed is not None and committed.is_promise and total > committed.days
    ]


def _check_day_kinds(check: ItemCheck) -> Iterator[Diagnostic]:
    """The committed limit and the steps' times are added up, so they count the same days;
    the one that differs from the others is named (the statutory limit may differ: it is compared by calendar)."""
    p = check.procedure
    kinds = [(key, p.day_kind_of(value), value) for key, value in _added_up(p)]
    counted = [kind for _, kind, _ in kinds if kind]
    if len(set(counted)) < 2:
        return
    usual = max(sorted(set(counted)), key=counted.count)
    for key, kind, value in kinds:
        if kind and kind != usual:
            yield check.error(key, "mixed_days", value=value, other=usual)


def _added_up(p: Procedure) -> list[tuple[str, Duration]]:
    """The limits that are added up or compared with their sum: the committed limit and the handled steps' times."""
    timed: list[tuple[str, Duration]] = [("time_limits.committed", p.committed)] if p.committed else []
    steps = [(i, s) for i, s in enumerate(p.flow) if not s.by_applicant]
    return timed + [(f"steps[{i}].time", s.time) for i, s in steps if s.time is not None]
