"""The domain model: frozen dataclasses built only from validated input.

This module imports nothing else of the package, so every other stage can
depend on it without cycles.  Renderers see these objects, never raw YAML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

DayKind = Literal["工作日", "自然日"]
HOURS_PER_DAY = 8  # 8 小时折算 1 个工作日（仅用于比较）

#: 办理结果中的终止性结论；其他取值都是步骤 id。
REWORK = "补正"
TERMINAL_RESULTS = ("不予受理", "不予许可")
SPECIAL_RESULTS = (REWORK, *TERMINAL_RESULTS)

DURATION_FORMS = ("即办", "5个工作日", "5 个工作日", "30个自然日", "4小时", "0.5个工作日")
_DURATION_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:个\s*)?(工作日|自然日|小时)\s*$")


@dataclass(frozen=True, order=False)
class Duration:
    """A time limit as written by people: 即办, N 个工作日, N 个自然日 or N 小时."""

    amount: Fraction
    """How many units; zero for 即办."""
    unit: Literal["即办", "工作日", "自然日", "小时"]
    """The unit as written."""

    @classmethod
    def parse(cls, text: str) -> Duration | None:
        """Parse a duration, or return None when the text is not one of the accepted forms."""
        if text.strip() == "即办":
            return cls(Fraction(0), "即办")
        match = _DURATION_RE.match(text)
        if match is None:
            return None
        amount = Fraction(match.group(1))
        unit = match.group(2)
        return cls(amount, unit)  # type: ignore[arg-type]  # the regex admits only the three units

    @property
    def days(self) -> Fraction:
        """The length in days, counting 8 hours as one day, for comparisons."""
        if self.unit == "小时":
            return self.amount / HOURS_PER_DAY
        return self.amount

    @property
    def day_kind(self) -> DayKind | None:
        """工作日 or 自然日, or None for units that fit either (即办, 小时)."""
        if self.unit in ("工作日", "自然日"):
            return self.unit
        return None

    @property
    def is_immediate(self) -> bool:
        return self.amount == 0

    def __str__(self) -> str:
        if self.unit == "即办":
            return "即办"
        number = format_number(self.amount)
        if self.unit == "小时":
            return f"{number} 小时"
        return f"{number} 个{self.unit}"


def format_number(value: Fraction) -> str:
    """Print 5, 0.5 or 2.25 without trailing zeros."""
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):g}"


def days_text(days: Fraction, kind: DayKind) -> str:
    """A day count as a duration text, e.g. ``5 个工作日``; zero is 即办."""
    if days == 0:
        return "即办"
    return f"{format_number(days)} 个{kind}"


@dataclass(frozen=True)
class Contact:
    """效能投诉或咨询的联系方式。Every field is optional, but at least one is set."""

    phone: str = ""
    """电话。"""
    email: str = ""
    """电子邮箱。"""
    address: str = ""
    """地址。"""
    online: str = ""
    """网上渠道的网址（仅 http/https）。"""


@dataclass(frozen=True)
class Position:
    """岗位：职能到岗、职责到人。"""

    id: str
    """岗位 id, unique inside its department."""
    title: str
    """岗位名称。"""
    duties: str
    """岗位职责。"""
    accountability: str
    """过错责任。"""


@dataclass(frozen=True)
class Department:
    """一个部门，对应 ``procedures/<id>/department.yml``。"""

    id: str
    """Folder name, used in URLs and in ``<department>/<position>`` references."""
    name: str
    """部门全称。"""
    short_name: str
    """部门简称。"""
    address: str
    """办公地址。"""
    hours: str
    """办公时间。"""
    phone: str
    """咨询电话。"""
    website: str
    """门户网站, may be empty."""
    complaint: Contact
    """本部门的效能投诉渠道。"""
    reviewers: tuple[str, ...]
    """Who must approve changes to this department's folder."""
    positions: tuple[Position, ...]
    """岗位表。"""

    def position(self, position_id: str) -> Position | None:
        return next((p for p in self.positions if p.id == position_id), None)


@dataclass(frozen=True)
class LegalBasis:
    """设定依据。"""

    law: str
    """法律法规名称，如《中华人民共和国行政许可法》。"""
    article: str
    """条款，如 第四十条。"""
    url: str = ""
    """原文链接（仅 http/https）。"""


@dataclass(frozen=True)
class Material:
    """申请材料，一次性告知单中的一行。"""

    name: str
    """材料名称。"""
    required: bool | str
    """True when always required, otherwise the condition (e.g. 委托办理的)."""
    original: int
    """原件份数。"""
    copies: int
    """复印件份数。"""
    source: str
    """来源渠道; empty when not given (a warning)."""
    form: str = ""
    """空白表格, a path relative to the department folder."""
    sample: str = ""
    """示例样表, a path relative to the department folder."""
    notes: str = ""
    """填报须知。"""


@dataclass(frozen=True)
class Fee:
    """收费项目。"""

    item: str
    """收费项目名称。"""
    standard: str
    """收费标准。"""
    basis: str
    """收费依据。"""


@dataclass(frozen=True)
class Outcome:
    """An exclusive alternative of a step (a decision)."""

    when: str
    """The condition, which is also the reason stated in a refusal notice."""
    result: str
    """补正, 不予受理, 不予许可, or the id of the next step."""

    @property
    def is_terminal(self) -> bool:
        return self.result in TERMINAL_RESULTS

    @property
    def is_rework(self) -> bool:
        return self.result == REWORK


@dataclass(frozen=True)
class Step:
    """办理环节。"""

    id: str
    """Step id, unique inside the item; never used as a DOT id."""
    name: str
    """环节名称。"""
    department: str
    """Department id that handles the step."""
    position: str
    """Position id inside ``department``; empty only for an end step without a handler."""
    time: Duration
    """办理时限 of this step."""
    does: str
    """办理内容和审查标准。"""
    next: tuple[str, ...] = ()
    """Following steps; more than one means parallel branches (并联)."""
    outcomes: tuple[Outcome, ...] = ()
    """Exclusive alternatives; empty for a plain step."""
    special: bool = False
    """特别程序: its time does not count toward the limits."""
    end: str = ""
    """Non-empty (e.g. 办结) for the step that closes the procedure."""

    @property
    def counted_days(self) -> Fraction:
        return Fraction(0) if self.special else self.time.days

    @property
    def successors(self) -> tuple[str, ...]:
        """Every following step id, through ``next`` or a non-terminal outcome."""
        via_outcomes = tuple(o.result for o in self.outcomes if o.result not in SPECIAL_RESULTS)
        return self.next + via_outcomes


@dataclass(frozen=True)
class TimeLimits:
    """法定与承诺办结时限。"""

    statutory: Duration
    """法定办结时限。"""
    committed: Duration
    """承诺办结时限。"""


@dataclass(frozen=True)
class Online:
    """网上办理深度。"""

    level: Literal["全程网办", "部分网办", "不支持"]
    """全程网办, 部分网办 or 不支持."""
    url: str = ""
    """网上办理入口。"""


@dataclass(frozen=True)
class Procedure:
    """一个办事事项（办事指南）。"""

    id: str
    """File stem, unique inside the department; used in URLs."""
    department: str
    """Owning department id (the folder)."""
    source: str
    """Path of the YAML file, relative to the repository root."""
    code: str
    """实施编码。"""
    name: str
    """事项名称。"""
    type: str
    """事项类型。"""
    audience: tuple[str, ...]
    """服务对象。"""
    kind: Literal["即办件", "承诺件"]
    """办件类型。"""
    basis: tuple[LegalBasis, ...]
    """设定依据。"""
    conditions: tuple[str, ...]
    """受理条件。"""
    materials: tuple[Material, ...]
    """申请材料（一次性告知）。"""
    time_limits: TimeLimits
    """办结时限。"""
    fees: tuple[Fee, ...]
    """收费项目; empty means free."""
    visits: int
    """到办事现场次数。"""
    online: Online
    """网上办理。"""
    place: str
    """办理地点（已继承部门设置）。"""
    hours: str
    """办理时间（已继承部门设置）。"""
    consult: str
    """咨询方式（已继承部门设置）。"""
    complaint: Contact
    """监督投诉方式（已继承部门设置）。"""
    commitments: tuple[str, ...]
    """服务承诺。"""
    result: str
    """审批结果名称。"""
    steps: tuple[Step, ...]
    """办理流程; the first step is the start."""

    @property
    def slug(self) -> str:
        return f"{self.department}/{self.id}"

    @property
    def day_kind(self) -> DayKind:
        """The kind of day the item counts in; 工作日 unless it says otherwise."""
        durations = [self.time_limits.statutory, self.time_limits.committed]
        durations += [s.time for s in self.steps]
        kinds = {d.day_kind for d in durations} - {None}
        return "自然日" if kinds == {"自然日"} else "工作日"

    @property
    def is_free(self) -> bool:
        return not self.fees

    @property
    def departments(self) -> tuple[str, ...]:
        """Departments taking part, the owner first."""
        seen = dict.fromkeys([self.department, *(s.department for s in self.steps)])
        return tuple(seen)

    def step(self, step_id: str) -> Step:
        return next(s for s in self.steps if s.id == step_id)


@dataclass(frozen=True)
class ItemType:
    """事项类型及其编码。"""

    name: str
    """类型名称，如 行政许可。"""
    code: str = ""
    """类型编码，如 01。"""


@dataclass(frozen=True)
class CalendarOverrides:
    """节假日安排的本地更正，优先于 chinesecalendar 数据。"""

    holidays: tuple[str, ...] = ()
    """额外的放假日期 (YYYY-MM-DD)。"""
    workdays: tuple[str, ...] = ()
    """额外的调休上班日期 (YYYY-MM-DD)。"""
    years: tuple[int, ...] = ()
    """chinesecalendar 尚未收录、但国务院放假通知已发布并已在上面补录的年份。"""


@dataclass(frozen=True)
class Site:
    """Site-wide settings from ``procedures/site.yml``."""

    region: str
    """地区名称，如 示例市。"""
    title: str
    """网站名称。"""
    complaint_center: str
    """效能投诉中心名称。"""
    complaint: Contact
    """效能投诉中心联系方式。"""
    review: str
    """行政复议机关及联系方式。"""
    litigation: str
    """行政诉讼的管辖法院。"""
    item_types: tuple[ItemType, ...]
    """允许的事项类型。"""
    calendar: CalendarOverrides = field(default_factory=CalendarOverrides)
    reviewers: tuple[str, ...] = ()
    """Who approves changes to site.yml, templates, code and pipelines (CODEOWNERS ``*``)."""
    """节假日更正。"""


@dataclass(frozen=True)
class Catalog:
    """Everything that was loaded and validated: the input of every renderer."""

    site: Site
    """Site-wide settings."""
    departments: tuple[Department, ...]
    """All departments, sorted by id."""
    procedures: tuple[Procedure, ...]
    """All items, sorted by department and id."""
    forms: tuple[str, ...] = ()
    """Form and sample files, as paths relative to ``procedures/``."""

    def department(self, department_id: str) -> Department:
        return next(d for d in self.departments if d.id == department_id)

    def handler(self, procedure: Procedure, step: Step, separator: str = " · ") -> str:
        """The title of the position handling ``step``, prefixed by its department when it is another one."""
        if not step.position:
            return ""
        department = self.department(step.department)
        position = department.position(step.position)
        title = position.title if position else step.position
        if step.department == procedure.department:
            return title
        return f"{department.short_name}{separator}{title}"

    def items_of(self, department_id: str) -> tuple[Procedure, ...]:
        return tuple(p for p in self.procedures if p.department == department_id)
