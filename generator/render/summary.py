"""The facts of an item's summary card, when they vary by situation: ranges and per-situation amounts.

Without situations (or when every situation agrees) the card shows the item's
own values; otherwise it says what the range is and that it depends on the
situation, never one situation's value as if it were everyone's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..model import Duration, Procedure, format_number


@dataclass(frozen=True)
class Varying:
    """A fact that differs between situations, as shown on the card."""

    text: str
    """E.g. ``15–30个自然日`` or ``住宅 每件 80 元；非住宅 每件 550 元``."""


def _distinct(p: Procedure, get: Callable[[Procedure], object]) -> list[object]:
    values: list[object] = []
    for variant in p.variants:
        value = get(variant)
        if value not in values:
            values.append(value)
    return values


def limit_range(p: Procedure, get: Callable[[Procedure], Duration | None]) -> Varying | None:
    """The range of a time limit over the situations, or None when it does not vary."""
    limits = _distinct(p, get)
    if len(limits) < 2:
        return None
    stated = [limit for limit in limits if isinstance(limit, Duration)]
    units = {limit.unit for limit in stated}
    promises = len(stated) == len(limits) and all(limit.is_promise for limit in stated)
    if promises and len(units) == 1 and stated[0].unit in ("工作日", "自然日", "日", "小时"):
        low, high = min(limit.amount for limit in stated), max(limit.amount for limit in stated)
        unit = stated[0].normalized.split(" ", 1)[1]
        return Varying(f"{format_number(low)}–{format_number(high)} {unit}")
    return Varying("、".join(str(limit) if limit is not None else "未公布" for limit in limits))


def fee_range(p: Procedure, every: bool = False) -> Varying | None:
    """Each situation's fees in a few words (its first fee; ``every`` fee for a printed form), or None when the
    fees do not vary."""
    if len(_distinct(p, lambda v: v.fees)) < 2:
        return None
    parts = []
    for situation, variant in zip(p.situations or (), p.variants, strict=True):
        if variant.fees is None:
            shown = "未公布"
        elif variant.fees == ():
            shown = "不收费"
        else:
            shown = "，".join(f"{f.item} {f.standard}" for f in (variant.fees if every else variant.fees[:1]))
        # a fee that names its situation (不动产登记费（住宅）) needs no "住宅：" in front
        parts.append(shown if situation.name in shown else f"{situation.name}：{shown}")
    return Varying("；".join(parts))


def visits_range(p: Procedure) -> Varying | None:
    visits = _distinct(p, lambda v: v.visits)
    if len(visits) < 2:
        return None
    if all(isinstance(v, int) for v in visits):
        numbers = [v for v in visits if isinstance(v, int)]
        return Varying(f"{min(numbers)}–{max(numbers)} 次")
    return Varying("、".join("未公布" if v is None else f"{v} 次" for v in visits))


# The same answers in the same words everywhere: item lists, search results, the card.


def time_words(p: Procedure) -> str:
    """How long: 当场办结, 承诺 5个工作日, 最短仅需5个工作日 (a lower bound, as written), 办理时限未公布, or the
    range over the situations."""
    varying = limit_range(p, lambda v: v.committed)
    if varying is not None:
        return f"承诺 {varying.text}，按情形"
    committed = _common(p).committed
    if committed is None:
        return "办理时限未公布"
    if committed.lower:
        return f"办理时限{committed}"
    if committed.is_immediate:
        return "当场办结（即办件）" if p.kind == "即办件" else "当场办结"
    return f"承诺 {committed}"


def limits_words(p: Procedure) -> str:
    """The committed limit with the statutory one, as a printed form states them: ranges when situations differ."""
    committed = time_words(p)
    varying = limit_range(p, lambda v: v.statutory)
    if varying is not None:
        return f"{committed}（法定 {varying.text}）"
    common = _common(p)
    own = common.committed
    if own is not None and own.is_immediate and limit_range(p, lambda v: v.committed) is None:
        return "当场办结"
    statutory = common.statutory
    if statutory is None:
        return f"{committed}（法定时限未公布）"
    return f"{committed}（法律未规定时限）" if statutory.is_none else f"{committed}（法定 {statutory}）"


def visits_words(p: Procedure) -> str:
    """How many visits: 不用跑（0 次）, 最多跑 2 次, 跑几次未公布, or the range over the situations."""
    varying = visits_range(p)
    if varying is not None:
        return f"跑 {varying.text}，按情形"
    visits = _common(p).visits
    if visits is None:
        return "跑几次未公布"
    return "不用跑（0 次）" if visits == 0 else f"最多跑 {visits} 次"


def fee_text(p: Procedure, every: bool = False) -> str:
    """The fees as a 收费 cell states them: 未公布, 不收费, each fee, or 按情形 with each situation's."""
    varying = fee_range(p, every)
    if varying is not None:
        return f"按情形：{varying.text}"
    fees = _common(p).fees
    if fees is None:
        return "未公布"
    return "；".join(f"{f.item} {f.standard}" for f in fees) or "不收费"


def fee_words(p: Procedure) -> str:
    """How much, said on its own: 不收费, 收费未公布, 收费按情形：…, or each fee's item and standard."""
    text = fee_text(p)
    return f"收费{text}" if text == "未公布" or text.startswith("按情形") else text


def fee_flag(p: Procedure) -> str:
    """Whether applicants pay, in a word for item lists: 收费, 收费按情形, 收费未公布, or "" when nothing is charged."""
    if fee_range(p) is not None:
        return "收费按情形"
    fees = _common(p).fees
    return "收费未公布" if fees is None else "收费" if fees else ""


def _common(p: Procedure) -> Procedure:
    """Where a fact that does not vary is read: the item, or (when it has situations) any of them, since they agree
    (a situation may state what the item leaves out)."""
    return p.variants[0] if p.variants else p
