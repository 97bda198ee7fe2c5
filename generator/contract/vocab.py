"""Every enumeration of the format, in one place.

The specs in :mod:`generator.model` (``Choice``), the typed model's
``Literal`` types, the open data schema and the change report all take their
values from here.
"""

from __future__ import annotations

from typing import Final, Literal, get_args

Kind = Literal["即办件", "承诺件"]
KINDS: Final = get_args(Kind)
"""办件类型."""

OnlineLevel = Literal["全程网办", "部分网办", "不支持"]
ONLINE_LEVELS: Final = get_args(OnlineLevel)
"""网上办理深度, from most to least online (a move to the right is worse for applicants)."""

Audience = Literal["自然人", "企业法人", "事业法人", "社会组织法人", "非法人企业", "行政机关", "其他组织"]
AUDIENCES: Final = get_args(Audience)
"""服务对象."""
PERSONAL_AUDIENCES: Final = ("自然人",)
"""The audiences counted as 个人办事; the others are 法人办事."""

DEFAULT_ITEM_TYPES: Final = (
    "行政许可",
    "行政确认",
    "行政裁决",
    "行政给付",
    "行政奖励",
    "行政备案",
    "其他行政权力",
    "公共服务",
)
"""The national item types, used when site.yml does not list its own."""

REWORK: Final = "补正"
"""The outcome that returns the application to the applicant, with the clock paused."""
REFUSALS: Final = ("不予受理", "不予许可")
"""Outcomes that end the procedure with a 滞办反馈告知书."""
SPECIAL_RESULTS: Final = (REWORK, *REFUSALS)
"""Outcome results that are not step ids."""

DurationUnit = Literal["即办", "工作日", "自然日", "小时"]
DURATION_UNITS: Final = get_args(DurationUnit)
"""Units of a time limit as written."""
DayKind = Literal["工作日", "自然日"]
HOURS_PER_DAY: Final = 8
"""8 小时折算 1 个工作日（仅用于比较）."""
