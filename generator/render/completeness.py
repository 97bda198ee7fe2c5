"""公开完整度: how many of the elements that the 办事流程图制度 requires an item states.

Missing data is published as missing, and counted here, so that it becomes
public pressure rather than an invented value.  Each element is a test on
what the item (and its department, for the address, hours and phone) states.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fractions import Fraction

from ..model import Catalog, Step
from .view import ItemView


def _handled(view: ItemView) -> list[Step]:
    """The government's steps: neither the applicant's own nor the closing mark."""
    return [s for s in view.procedure.flow if not (s.end and s.position is None) and not s.by_applicant]


ELEMENTS: tuple[tuple[str, Callable[[ItemView], bool]], ...] = (
    ("事项名称", lambda v: bool(v.procedure.name)),
    ("设定依据", lambda v: bool(v.procedure.basis)),
    ("受理条件", lambda v: v.procedure.conditions is not None),
    ("申请材料", lambda v: v.procedure.materials is not None),
    ("办理流程", lambda v: v.procedure.steps is not None),
    ("环节岗位", lambda v: bool(_handled(v)) and all(s.position for s in _handled(v))),
    # an end step may leave out its time: the format defines that as 不计时
    ("环节时限", lambda v: bool(_handled(v)) and all(s.time for s in _handled(v) if not s.end)),
    ("法定时限", lambda v: v.procedure.stated_everywhere(lambda p: p.statutory)),
    (
        "承诺时限",
        lambda v: v.procedure.stated_everywhere(
            lambda p: p.committed if p.committed and p.committed.is_promise else None
        ),
    ),
    ("收费", lambda v: v.procedure.stated_everywhere(lambda p: p.fees)),
    ("办理地点", lambda v: v.place is not None),
    ("办理时间", lambda v: v.hours is not None),
    ("咨询方式", lambda v: bool(v.procedure.consult or v.phone)),
    ("投诉渠道", lambda v: bool(v.complaint_center or v.bodies.own_complaint or v.complaint_channels)),
    (
        "过错责任",
        lambda v: bool(_handled(v)) and all((p := v.position(s)) is not None and p.accountability for s in _handled(v)),
    ),
)
"""The elements, in the order the seed system lists them."""


@dataclass(frozen=True)
class Completeness:
    """Which elements an item (or a group of items) states."""

    stated: int
    total: int
    missing: tuple[str, ...] = ()
    """The elements not stated (for one item)."""

    @property
    def ratio(self) -> Fraction:
        return Fraction(self.stated, self.total) if self.total else Fraction(1)

    @property
    def percent(self) -> str:
        """98%; — for no elements at all (a department with no items of its own is not 100% complete)."""
        return f"{float(self.ratio) * 100:.0f}%" if self.total else "—"

    @property
    def fraction(self) -> str:
        """12/13 elements; — for none."""
        return f"{self.stated}/{self.total}" if self.total else "—"

    @property
    def complete(self) -> bool:
        return self.stated == self.total


def completeness(view: ItemView) -> Completeness:
    missing = tuple(name for name, stated in ELEMENTS if not stated(view))
    return Completeness(len(ELEMENTS) - len(missing), len(ELEMENTS), missing)


def combined(parts: Iterable[Completeness]) -> Completeness:
    """The completeness of several items together: their elements added up."""
    parts = list(parts)
    return Completeness(sum(p.stated for p in parts), sum(p.total for p in parts))


HOME_FACTS = ("承诺时限", "收费", "办理地点", "环节岗位", "投诉渠道")
"""What the home page says how many items state (never that every item states it)."""


def stated_counts(catalog: Catalog) -> dict[str, int]:
    """How many items state each of :data:`HOME_FACTS`: the home page's claim, computed."""
    missing = [completeness(ItemView.of(catalog, p)).missing for p in catalog.procedures]
    return {fact: sum(fact not in m for m in missing) for fact in HOME_FACTS}
