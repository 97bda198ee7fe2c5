"""Every enumeration of the format, in one place.

The specs in :mod:`generator.model` (``Choice``), the typed model's
``Literal`` types, the open data schema and the change report all take their
values from here.
"""

from __future__ import annotations

import re
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
RETURNED: Final = "退件"
"""An outcome that returns the application without a decision."""
REFUSAL_PREFIX: Final = "不予"
"""Refusals are written 不予 and the decision: 不予受理, 不予许可, 不予登记, 不予批准, 不予备案…"""

APPLICANT: Final = "申请人"
"""The ``actor`` of a step that the applicant does (提出申请, 补正, 领取): no position, not counted."""
ACTORS: Final = (APPLICANT,)

CONTACT_LABELS: Final = ("咨询", "监督", "投诉", "举报", "预约", "进度查询")
"""Usual labels of a contact channel (free text is allowed too)."""

PROVIDERS: Final = ("部门内部生成", "免提交")
"""Materials the applicant does not bring: made by the department itself, or exempt (电子证照, 部门共享…)."""
REQUIRED_WORDS: Final = {"必要": True, "非必要": False}
"""How portals write whether a material is required."""
FREE: Final = ("不收费", "免费")
"""How a guide states that there is no fee."""

HANDLING: Final = ("窗口办理", "网上办理", "快递申请")
"""办理形式."""
RESULT_TYPES: Final = ("证照", "批文", "其他")
"""审批结果类型."""
SCOPES: Final = ("全国通办", "跨省通办", "省内通办", "市内通办", "本辖区")
"""通办范围."""
LEVELS: Final = ("省级", "市级", "县级", "乡级", "村级")
"""实施层级 (行使层级)."""
POWER_SOURCES: Final = ("法定本级行使", "上级下放", "上级授权", "同级授权", "上级委托", "同级委托")
"""权力来源, as the national implementation list codes them."""

DurationUnit = Literal["即办", "工作日", "自然日", "日", "小时", "无"]
DURATION_UNITS: Final = get_args(DurationUnit)
"""Units of a time limit as written."""
DayKind = Literal["工作日", "自然日"]
HOURS_PER_DAY: Final = 8
"""8 小时折算 1 个工作日（仅用于比较）."""


def is_refusal(result: str) -> bool:
    """An outcome that ends the procedure with a written notice: 不予… or 退件."""
    return result.startswith(REFUSAL_PREFIX) or result == RETURNED


def is_step(result: str) -> bool:
    """An outcome that leads to a step (by its id)."""
    return result != REWORK and not is_refusal(result)


CATCH_ALL = re.compile(r"(其[他它]|有关|相关)(的)?(材料|资料|证明)|规定的其[他它]|…|\.\.\.")
"""A material row that promises more than the list says (其他材料, 规定的其他材料, ……).  身份证、户口簿等材料
ends a definite list and is not one."""


def is_catch_all(name: str) -> bool:
    return CATCH_ALL.search(name) is not None
