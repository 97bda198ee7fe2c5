"""The format, declared once: frozen dataclasses whose fields are the keys of the YAML files.

Each field says, with :func:`~generator.contract.spec.key`, what its value
must be (a :class:`~generator.contract.spec.Spec`: title, rule, range,
choices) and whether it may be left out.  From these declarations come the
structural check, the editor JSON Schema (``procedures/schema/``), the model
objects themselves, the open data record and its schema, and the field-level
change report.  Adding a key means adding one field here (see the README,
"Adding a field").

An optional key that is absent is ``None``: the department did not state it.
Renderers never replace it with a default.

Key names are part of the public format: add keys, never rename them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import Any

from .contract.spec import (
    Boolean,
    Choice,
    DurationText,
    Fees,
    FilePath,
    Integer,
    Label,
    ListOf,
    MapOf,
    Notice,
    PositionRef,
    PositionText,
    Record,
    Required,
    Spec,
    Text,
    TextOr,
    derived,
    key,
)
from .contract.values import (
    AREA,
    CODE,
    COMMITTED,
    DATE,
    EMAIL,
    HTTPS_URL,
    ICP,
    IDENT,
    ITEM_REF,
    MATERIAL_REF,
    OUTCOME,
    OWNER,
    PHONE,
    POLICE,
    RELATIVE_PATH,
    SITE_CODE,
    STATUTORY,
    URL,
    Duration,
    days_text,
    format_number,
)
from .contract.vocab import (
    ACTORS,
    APPLICANT,
    AUDIENCES,
    CONTACT_LABELS,
    DEFAULT_ITEM_TYPES,
    HANDLING,
    KINDS,
    LEVELS,
    ONLINE_LEVELS,
    POWER_SOURCES,
    PROVIDERS,
    RESULT_TYPES,
    REWORK,
    SCOPES,
    DayKind,
    Kind,
    OnlineLevel,
    is_refusal,
    is_step,
)

__all__ = [
    "DEPARTMENT",
    "FILES",
    "ITEM",
    "SITE",
    "Catalog",
    "Contact",
    "DayKind",
    "Department",
    "Duration",
    "Fee",
    "LegalBasis",
    "Material",
    "Online",
    "Outcome",
    "Position",
    "PositionRef",
    "Procedure",
    "Site",
    "Step",
    "TimeLimits",
    "days_text",
    "format_number",
]


def _url(title: str, description: str = "仅限 http/https 网址。") -> Text:
    return Text(title, description, 500, URL)


def _phone(
    title: str, description: str = "一个电话号码，如 0316-7868512 或 12345；多个号码写在 contacts 中。"
) -> Label:
    return Label(title, description, 40, PHONE, integers=True)


def _optional(spec: Spec, **options: Any) -> Any:
    return key(spec, required=False, **options)


# Contacts and jurisdiction ----------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Contact:
    """效能投诉的联系方式。"""

    phone: str | None = _optional(_phone("电话"))
    email: str | None = _optional(Label("电子邮箱", "", 100, EMAIL))
    address: str | None = _optional(Text("地址", "信函或来访地址。", 200))
    online: str | None = _optional(_url("网上渠道", "网上投诉或咨询入口，仅限 http/https 网址。"))


CONTACT = Record("监督投诉", "电话、电子邮箱、地址、网上渠道，至少填写一项。", Contact, prefix=True)


@dataclass(frozen=True, kw_only=True)
class Channel:
    """一个有名称的联系渠道：咨询、监督、投诉、举报、预约、进度查询……"""

    label: str = key(Label("渠道", "咨询、监督、投诉、举报、预约、进度查询，或其他名称。", 20, examples=CONTACT_LABELS))
    phone: str | None = _optional(_phone("电话"))
    email: str | None = _optional(Label("电子邮箱", "", 100, EMAIL))
    url: str | None = _optional(_url("网址"))
    address: str | None = _optional(Text("地址", "", 200))


CHANNELS = ListOf(
    "联系渠道",
    "有名称的联系渠道；每个渠道写一个电话、邮箱、网址或地址。",
    Record("联系渠道", "", Channel),
    min_items=1,
    identity="label",
)


# The bodies an applicant turns to: site.yml sets them; a department or an item may set its own, and the
# nearest one applies (a county's items name the county's review body and court).
COMPLAINT_CENTER = Text("效能投诉中心", "受理效能投诉的机构；不写时用部门的，部门与全站同属一个地区时用全站的。", 100)
REVIEW = Text(
    "行政复议",
    "行政复议机关及联系方式，写入滞办反馈告知书；不写时用部门的，部门与全站同属一个地区时用全站的。",
    300,
)
LITIGATION = Text(
    "行政诉讼",
    "有管辖权的人民法院，写入滞办反馈告知书；不写时用部门的，部门与全站同属一个地区时用全站的。",
    300,
)
AREA_CODE = Label("长途区号", "本地电话号码（不含区号）所在的区号，如 0316；写了，电话链接带上区号。", 5, AREA)
PAUSE_RULE = Text(
    "时限中止规则",
    "本部门（或全站）作为自己的规定公开的时限中止说明，如 补正材料和特别程序期间不计入办结时限。"
    "不写时，只有写了补正结论或特别程序环节的事项才说明补正、特别程序期间不计时。",
    300,
)
NOTICE_PROMISE = Text(
    "一次性告知承诺",
    "印在一次性告知单上的承诺，如 本单一次性告知，窗口不得要求提交本单以外的材料。不写时告知单不作这一承诺；"
    "列有“其他材料”这类兜底材料的事项也不印。",
    200,
)


# site.yml -------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ItemType:
    """事项类型及其编码。"""

    name: str = key(Label("类型名称", "如 行政许可。", 20))
    code: str | None = _optional(Label("类型编码", "如 01。", 10))


@dataclass(frozen=True, kw_only=True)
class Synonym:
    """群众的一个说法，和它在指南中的正式说法。"""

    word: str = key(Text("群众的说法", "如 房本、环评、开饭店。", 20))
    means: tuple[str, ...] = key(
        ListOf(
            "正式说法",
            "事项名称、别名、办理结果或办理情形中的说法，如 不动产权证书；出现其一，搜索群众的说法就能找到该事项。",
            Text("正式说法", "", 50),
            1,
        )
    )


@dataclass(frozen=True, kw_only=True)
class CalendarOverrides:
    """节假日安排的本地更正，优先于 chinesecalendar 数据。"""

    years: tuple[int, ...] | None = _optional(
        ListOf(
            "补录年份",
            "日历数据包尚未收录、已按国务院放假通知在此补录的年份，如 2027。",
            Integer("补录年份", minimum=2000, maximum=2100),
        )
    )
    holidays: tuple[str, ...] | None = _optional(
        ListOf("放假日期", "工作日中的放假日期，YYYY-MM-DD。", Label("放假日期", rule=DATE, max_length=10))
    )
    workdays: tuple[str, ...] | None = _optional(
        ListOf("调休上班日期", "周末调休上班的日期，YYYY-MM-DD。", Label("调休上班日期", rule=DATE, max_length=10))
    )


def _column(title: str, description: str) -> Any:
    return _optional(Text(title, description, 60))


@dataclass(frozen=True, kw_only=True)
class RecordColumns:
    """办件记录和效能投诉表的列。每个键的中文名就是标准表头；本地系统导出的表头不同时，写 键: 导出的表头。"""

    code: str | None = _column("实施编码", "事项的实施编码，与事项文件的 code 相同。必需。")
    case: str | None = _column("办件编号", "每件唯一；只用于查重，不会公开。必需。")
    accepted: str | None = _column("受理时间", "日期或日期时间，如 2026-01-05、2026/1/5 09:30；必需。")
    finished: str | None = _column("办结时间", "在办的件留空。")
    status: str | None = _column("办理状态", "办结、不予受理、不予许可等“不予……”、退件、撤回、在办。必需。")
    paused: str | None = _column("补正时段", "补正期间（时限中止），如 2026-01-06~2026-01-09；几段用分号隔开。")
    paused_days: str | None = _column("补正工作日", "补正期间的工作日数（不写时段时）。")
    special: str | None = _column("特别程序时段", "特别程序期间（时限中止），写法同补正时段。")
    special_days: str | None = _column("特别程序工作日", "特别程序期间的工作日数（不写时段时）。")
    situation: str | None = _column("情形", "办理情形的 id（事项分情形时），按该情形的承诺时限计算。")
    channel: str | None = _column("办理渠道", "窗口 或 网上。")
    rating: str | None = _column("好差评", "非常满意、满意、基本满意、不满意、非常不满意；未评价的留空。")
    complaint: str | None = _column("投诉编号", "效能投诉表：每件唯一；只用于查重，不会公开。")
    complaint_item: str | None = _column("实施编码", "效能投诉表：被投诉事项的实施编码（不针对某个事项的，写部门）。")
    complaint_department: str | None = _column("部门", "效能投诉表：被投诉的部门（部门文件夹名、全称或简称）。")
    complaint_accepted: str | None = _column("受理日期", "效能投诉表：必需。")
    complaint_closed: str | None = _column("办结日期", "效能投诉表：未办结的留空。")
    complaint_result: str | None = _column("结果", "效能投诉表：属实、部分属实、不属实；未办结的留空。")


@dataclass(frozen=True, kw_only=True)
class RecordsSettings:
    """办件记录：效能公开的按时办结率、超期件、好差评和投诉处理，由服务系统导出的办件记录计算。"""

    demo: bool | None = _optional(
        Boolean("演示数据", "记录是合成的演示数据时写 true：网站上凡是用到它的地方都标明“演示数据”。")
    )
    min_cases: int | None = _optional(
        Integer("最少件数", "少于这个件数的数字只显示为“<5”这样的区间，比率不计算，以免推知个人；默认 5。", 2, 100)
    )
    columns: RecordColumns | None = _optional(
        Record("列名对照", "导出表的表头与标准列名不同时写，如 code: 事项编码。", RecordColumns)
    )


@dataclass(frozen=True, kw_only=True)
class Identity:
    """政府网站的身份信息：页脚显示主办、承办单位，网站标识码、ICP 备案号、公安机关备案号和党政机关网站标识。"""

    sponsor: str | None = _optional(Text("主办单位", "如 示例市人民政府办公室。", 100))
    operator: str | None = _optional(Text("承办单位", "没有另外的承办单位时不写。", 100))
    site_code: str | None = _optional(Label("政府网站标识码", "十位数字（部门网站为 bm 加八位数字）。", 10, SITE_CODE))
    icp: str | None = _optional(Label("ICP备案号", "如 京ICP备05070218号-1。", 40, ICP))
    police: str | None = _optional(Label("公安机关备案号", "如 京公网安备 11010202000001号。", 40, POLICE))
    badge: str | None = _optional(
        FilePath(
            "党政机关网站标识",
            "标识图片在 procedures/ 中的路径，如 identity/dzjg.png（PNG、JPEG、GIF 或 SVG）。",
            rule=RELATIVE_PATH,
        )
    )
    badge_link: str | None = _optional(_url("党政机关网站标识链接", "标识的查验网址，由开办审批时发放。"))
    base_url: str | None = _optional(
        Text("网站地址", "网站的公开网址（https），供嵌入省级平台的页面片段链回本站。", 200, HTTPS_URL)
    )


IDENTITY = ("sponsor", "site_code", "icp", "police", "badge")
"""What a government site must show (政府网站发展指引); the self-check reports what is missing."""


@dataclass(frozen=True, kw_only=True)
class Site:
    """全站设置（``procedures/site.yml``）。"""

    region: str = key(Text("地区名称", "如 示例市。", 50))
    title: str = key(Text("网站名称", "显示在每页页眉。", 50))
    complaint_center: str = key(Text("效能投诉中心", "全市效能投诉中心的名称。", 100))
    complaint: Contact = key(CONTACT)
    review: str = key(Text("行政复议", "行政复议机关及联系方式，写入滞办反馈告知书。", 300))
    litigation: str = key(Text("行政诉讼", "有管辖权的人民法院，写入滞办反馈告知书。", 300))
    item_types: tuple[ItemType, ...] | None = _optional(
        ListOf(
            "事项类型",
            "允许的事项类型及其编码；不填时使用国家默认的八类。",
            Record("事项类型", "", ItemType),
            min_items=1,
        )
    )
    reviewers: tuple[str, ...] | None = _optional(
        ListOf(
            "全站审核人",
            "修改全站设置、模板、程序和流水线须经其批准的账号或团队，如 @org/maintainers。",
            Label("全站审核人", max_length=100, rule=OWNER),
            min_items=1,
        )
    )
    calendar: CalendarOverrides | None = _optional(
        Record("节假日更正", "国务院放假通知发布后、日历数据更新前的本地更正。", CalendarOverrides)
    )
    topics: tuple[str, ...] | None = _optional(
        ListOf(
            "主题",
            "事项可以归入的主题（人生事件、企业事件），如 生育收养、婚姻登记、就业创业、住房、开办企业。",
            Text("主题", "", 20),
            min_items=1,
        )
    )
    hotline: str | None = _optional(_phone("政务服务便民热线", "如 12345；显示在每页页脚、投诉页和事项页的咨询部分。"))
    synonyms: tuple[Synonym, ...] | None = _optional(
        ListOf(
            "搜索同义词",
            "本地群众的说法，补充 site_templates/search/synonyms.yml 中的通用说法。",
            Record("搜索同义词", "", Synonym),
            min_items=1,
            identity="word",
        )
    )
    area_code: str | None = _optional(AREA_CODE)
    pause_rule: str | None = _optional(PAUSE_RULE)
    notice_promise: str | None = _optional(NOTICE_PROMISE)
    complaint_reply: str | None = _optional(
        Text("投诉答复时限", "投诉中心公布的答复时限，如 受理后 5个工作日内答复；写了才在投诉页和事项页显示。", 100)
    )
    rating_url: str | None = _optional(
        _url("好差评入口", "政务服务“好差评”的评价网址；写了才在本地区部门的事项页显示“评价服务（好差评）”。")
    )
    progress_url: str | None = _optional(
        _url("办件进度查询", "办件进度查询的网址；写了才在本地区部门的事项页显示“办件进度查询”。")
    )
    edit_url: str | None = _optional(
        _url(
            "编辑器地址",
            "只给内部预览站点用：写了，每个事项页的标题下显示“编辑本事项”，链接是这个地址接上事项文件在 procedures/ "
            "中的路径，如 http://127.0.0.1:8765/edit/ （python -m generator edit 的地址）。对公众的网站不要写。",
        ),
        publish=False,
    )
    map_url: str | None = _optional(
        _url(
            "地图检索网址",
            "地址后面接上的地图检索网址，如 https://map.example.gov.cn/search?q= ；页面在其后接上编码后的地址，"
            "显示“地图导航”。内网部署或没有地图服务时不写。",
        )
    )
    identity: Identity | None = _optional(
        Record("网站身份", "主办单位、网站标识码、备案号和党政机关网站标识，显示在每页页脚。", Identity)
    )
    records: RecordsSettings | None = _optional(
        Record("办件记录", "效能公开所用的办件记录：演示数据标记、最少件数、列名对照。", RecordsSettings)
    )
    popular: tuple[str, ...] | None = _optional(
        ListOf(
            "热门事项",
            "首页列出的常办事项，写 部门文件夹/事项文件名，如 rsj/sbk。",
            Label("热门事项", max_length=130, rule=ITEM_REF),
            min_items=1,
        )
    )

    @property
    def type_names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.item_types) if self.item_types else DEFAULT_ITEM_TYPES


# department.yml -------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Position:
    """岗位：职能到岗、职责到人。"""

    id: str = derived("岗位 id")
    title: str = key(Text("岗位名称", "如 受理窗口。", 50))
    duties: str = key(Text("岗位职责", "本岗位在办理中负责什么。", 500))
    accountability: str | None = _optional(Text("过错责任", "未履行职责时承担的责任；不写时显示“未公布”。", 500))
    window: str | None = _optional(Text("窗口号", "部门公布时写本岗位所在的窗口，如 3号窗口、E01—E03。", 30))
    staff_number: str | None = _optional(Text("工号", "部门公布时写在岗人员的工号，如 A0123；几人用顿号隔开。", 60))

    @property
    def where(self) -> str:
        """The window and staff number as published, in a few words ("" when neither is)."""
        window = self.window if not self.window or "窗口" in self.window else f"窗口 {self.window}"
        parts = [window or "", f"工号 {self.staff_number}" if self.staff_number else ""]
        return "，".join(part for part in parts if part)


@dataclass(frozen=True, kw_only=True)
class Department:
    """一个部门（``procedures/<id>/department.yml``）。"""

    id: str = derived("部门 id", publish=True)
    name: str = key(Text("部门全称", "如 示例市自然资源和规划局。", 100))
    short_name: str | None = _optional(Text("部门简称", "如 市自然资源规划局；不写时显示全称。", 30))
    region: str | None = _optional(
        Text(
            "所属地区",
            "部门所在的行政区域，如 灌南县。与 site.yml 的地区不同时，全站的效能投诉中心、投诉电话、"
            "行政复议机关和法院不适用于本部门，本部门或事项不写的显示“未公布”。不写表示与全站相同。",
            50,
        )
    )
    area_code: str | None = _optional(AREA_CODE)
    address: str | None = _optional(Text("办公地址", "", 200))
    hours: str | None = _optional(Text("办公时间", "如 工作日 9:00—12:00，13:30—17:00。", 200))
    phone: str | None = _optional(_phone("咨询电话"))
    website: str | None = _optional(_url("门户网站"))
    contacts: tuple[Channel, ...] | None = _optional(CHANNELS)
    complaint: Contact | None = _optional(CONTACT)
    complaint_center: str | None = _optional(COMPLAINT_CENTER)
    review: str | None = _optional(REVIEW)
    litigation: str | None = _optional(LITIGATION)
    pause_rule: str | None = _optional(PAUSE_RULE)
    notice_promise: str | None = _optional(NOTICE_PROMISE)
    reviewers: tuple[str, ...] = key(
        ListOf(
            "审核人",
            "修改本部门文件须经其批准的代码托管账号，如 @zrzy-zhangsan。",
            Label("审核人", max_length=100, rule=OWNER),
            min_items=1,
        ),
        publish=False,
    )
    positions: tuple[Position, ...] = _optional(
        MapOf(
            "岗位表",
            "岗位 id 到岗位的映射；岗位 id 用小写字母。部门没有公布岗位表时不写，环节显示“岗位未公布”。",
            Record("岗位", "职能到岗、职责到人。", Position),
        ),
        absent=(),
    )

    @property
    def label(self) -> str:
        """How pages name the department in short: its short name, or its full name when it states none."""
        return self.short_name or self.name

    def position(self, position_id: str) -> Position | None:
        return next((p for p in self.positions if p.id == position_id), None)


# An item --------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class LegalBasis:
    """设定依据。"""

    law: str = key(Text("法律法规", "如《中华人民共和国行政许可法》。", 200))
    article: str | None = _optional(Text("条款", "如 第四十条。", 200))
    url: str | None = _optional(_url("原文链接"))


@dataclass(frozen=True, kw_only=True)
class Material:
    """申请材料，一次性告知单中的一行。"""

    name: str = key(Text("材料名称", "", 200))
    each: str | None = _optional(
        Text("按人提交", "每位申请人各交一份时写明由谁各交，如 男女双方各；份数按每人计。", 20)
    )
    required: bool | str = key(
        Required("是否必需", "true（必要）或 false（非必要）；也可以写明需要提交的情形，如 委托办理的。")
    )
    original: int | None = _optional(Integer("原件份数", "需提交或核验的原件份数。", maximum=99, unit="份"))
    copies: int | None = _optional(Integer("复印件份数", "", maximum=99, unit="份"))
    unit: str | None = _optional(Label("单位", "份数的单位，不写为 份；如 张、页、套。", 4))
    source: str | None = _optional(Text("来源渠道", "如 申请人自备、政府部门核发。", 200))
    provided_by: str | None = _optional(
        Choice("由谁提供", "部门内部生成，或 免提交（如电子证照、部门共享）：申请人不需要带。", PROVIDERS)
    )
    reason: str | None = _optional(Text("免提交理由", "如 电子证照、部门共享。", 100))
    form: str | None = _optional(
        FilePath("空白表格", "本部门文件夹内的路径，如 forms/申请表.pdf。", rule=RELATIVE_PATH)
    )
    sample: str | None = _optional(FilePath("示例样表", "本部门文件夹内的路径。", rule=RELATIVE_PATH))
    notes: str | None = _optional(Text("填报须知", "", 500))
    situations: tuple[str, ...] | None = _optional(
        ListOf(
            "适用情形",
            "只在这些情形下需要（情形 id）；不写时各情形都需要。",
            Label("情形 id", max_length=64, rule=IDENT),
            1,
        )
    )

    @property
    def to_bring(self) -> bool:
        """Whether the applicant brings it (not made or fetched by the department)."""
        return self.provided_by is None

    def applies_to(self, situation: str) -> bool:
        """Whether an applicant in ``situation`` submits it: it names no situation, or names this one."""
        return not self.situations or situation in self.situations


@dataclass(frozen=True, kw_only=True)
class Fee:
    """收费项目。"""

    item: str = key(Text("收费项目", "", 200))
    standard: str = key(Text("收费标准", "", 300))
    basis: str | None = _optional(Text("收费依据", "", 300))


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """An exclusive alternative of a step: a decision, or an exception to its ``next``."""

    when: str = key(Text("情形", "出现此结论的条件；不予受理、不予许可时即为书面告知的理由。", 300))
    result: str = key(
        Label("结论", "补正、退件、不予受理、不予许可、不予登记等“不予……”，或下一步骤的 id。", 64, OUTCOME)
    )
    situations: tuple[str, ...] | None = _optional(
        ListOf("适用情形", "只在这些情形下出现（情形 id）。", Label("情形 id", max_length=64, rule=IDENT), 1)
    )

    @property
    def is_terminal(self) -> bool:
        return is_refusal(self.result)

    @property
    def is_rework(self) -> bool:
        return self.result == REWORK


@dataclass(frozen=True, kw_only=True)
class Step:
    """办理环节。"""

    owner: str = derived("所属部门")
    id: str = key(Label("步骤 id", "本事项内唯一，如 shouli。", 64, IDENT), compare=False)
    name: str = key(Text("环节名称", "如 受理。", 30))
    actor: str | None = _optional(
        Choice("办理人", "申请人自己办的环节（提出申请、补正、领取）写 申请人：不需要岗位，不计时。", ACTORS)
    )
    position: PositionRef | None = _optional(
        PositionText("办理岗位", "本部门岗位 id，或 其他部门/岗位 表示并联审批的协办部门；不写时显示“岗位未公布”。")
    )
    time: Duration | None = _optional(
        DurationText("办理时限", "本环节的时限；不写时显示“时限未公布”。", worse_if_longer=False)
    )
    does: str | None = _optional(Text("办理内容", "本环节审查或办理什么。", 500))
    next: tuple[str, ...] | None = _optional(
        ListOf(
            "下一步",
            "一个步骤 id；写成列表表示并联分支，全部完成后汇合。有 outcomes 时为其余情形的去向。",
            Label("下一步", max_length=64, rule=IDENT),
            1,
            True,
        ),
        compare=False,
    )
    outcomes: tuple[Outcome, ...] | None = _optional(
        ListOf(
            "办理结论",
            "互斥的分支；与 next 同写时是例外情形。",
            Record("办理结论", "互斥的分支之一。", Outcome),
            min_items=1,
            identity="when",
        )
    )
    special: bool | None = _optional(Boolean("特别程序", "听证、检验、专家评审等，时间不计入办结时限。"))
    special_basis: str | None = _optional(Text("特别程序依据", "特别程序的法律依据。", 300))
    special_limit: Duration | None = _optional(
        DurationText("特别程序时限", "特别程序最长多久；不计入办结时限，书面告知申请人。", worse_if_longer=False)
    )
    end: str | None = _optional(Text("办结", "结束流程的步骤写 end: 办结（或 窗口领取、邮寄送达）。", 20))

    @property
    def department(self) -> str:
        """The department that handles the step."""
        return self.position.department if self.position else self.owner

    @property
    def by_applicant(self) -> bool:
        return self.actor == APPLICANT

    @property
    def duration(self) -> Duration:
        """The step's time; a step without one counts none (the page says 时限未公布)."""
        return self.time or Duration(Fraction(0), "即办")

    @property
    def counted_days(self) -> Fraction:
        """The government's time: special procedures and the applicant's own steps do not count."""
        return Fraction(0) if self.uncounted else self.duration.days

    @property
    def uncounted(self) -> bool:
        """特别程序 and the applicant's own steps: their time is not part of the time limit (不计时)."""
        return bool(self.special or self.by_applicant)

    @property
    def following(self) -> tuple[str, ...]:
        return self.next or ()

    @property
    def alternatives(self) -> tuple[Outcome, ...]:
        return self.outcomes or ()

    @cached_property  # the graph walks ask for it again and again
    def successors(self) -> tuple[str, ...]:
        """Every following step id, through ``next`` or an outcome that leads to a step."""
        return self.following + tuple(o.result for o in self.alternatives if is_step(o.result))


@dataclass(frozen=True, kw_only=True)
class TimeLimits:
    """法定与承诺办结时限。"""

    statutory: Duration | None = _optional(
        DurationText(
            "法定办结时限",
            "法律规定的时限，可在括号中写明依据；法律没有规定时写 无；不写时显示“未公布”。",
            rule=STATUTORY,
            max_length=120,
        )
    )
    committed: Duration = key(
        DurationText(
            "承诺办结时限", "不得超过法定办结时限；指南只写最短时限的，照写，如 最短仅需5个工作日。", rule=COMMITTED
        )
    )


@dataclass(frozen=True, kw_only=True)
class Online:
    """网上办理深度。"""

    level: OnlineLevel = key(
        Choice("网上办理深度", "全程网办、部分网办，或 不支持。", ONLINE_LEVELS, worse_if_later=True)
    )
    url: str | None = _optional(_url("网上办理网址", "不写时显示“入口未公布”。"))


@dataclass(frozen=True, kw_only=True)
class Situation:
    """一种办理情形：申请人的情况不同，材料、时限、收费可以不同。"""

    id: str = key(Label("情形 id", "本事项内唯一，如 baogaoshu。", 64, IDENT))
    name: str = key(Text("情形名称", "如 编制环境影响报告书的。", 60))
    description: str | None = _optional(Text("情形说明", "", 300))
    conditions: tuple[str, ...] | None = _optional(
        ListOf("本情形的受理条件", "只适用于本情形、事项受理条件之外的条件。", Text("受理条件", "", 500), 1)
    )
    time_limits: TimeLimits | None = _optional(Record("本情形的办结时限", "与事项不同时写。", TimeLimits))
    fees: tuple[Fee, ...] | None = _optional(
        Fees(
            "本情形的收费",
            "与事项不同时写：不收费，或收费项目的列表。",
            ListOf("收费", "", Record("收费项目", "", Fee), identity="item", detail="standard", added_is_worse=True),
        )
    )
    visits: int | None = _optional(Integer("本情形的到办事现场次数", "", maximum=20, unit="次", worse_if_more=True))
    online: Online | None = _optional(Record("本情形的网上办理", "", Online))
    notes: tuple[str, ...] | None = _optional(ListOf("本情形的说明", "", Text("说明", "", 300)))

    @property
    def overrides(self) -> bool:
        stated = (self.conditions, self.time_limits, self.fees, self.visits, self.online, self.notes)
        return any(v is not None for v in stated)


@dataclass(frozen=True, kw_only=True)
class Intermediary:
    """中介服务。"""

    name: str = key(Text("中介服务名称", "如 环境影响评价报告编制。", 100))
    mandatory: bool = key(Boolean("是否必须", "办理本事项是否必须经过这项中介服务。"))
    basis: str | None = _optional(Text("中介服务依据", "", 300))
    provider: str | None = _optional(Text("服务机构说明", "如 具有相应资质的机构，申请人自主选择。", 200))


@dataclass(frozen=True, kw_only=True)
class IssuedResult:
    """审批结果：写一个名称，或写成含类型、样本、有效期的记录。"""

    name: str = key(Text("名称", "如 建设工程规划许可证。", 100))
    type: str | None = _optional(Choice("类型", "证照、批文 或 其他。", RESULT_TYPES))
    sample: str | None = _optional(
        FilePath("样本", "本部门文件夹内的路径，如 forms/许可证样本.pdf。", rule=RELATIVE_PATH)
    )
    validity: str | None = _optional(Text("有效期", "如 5 年。", 100))
    annual_check: str | None = _optional(Text("年审年检", "如 每年 3 月年检。", 200))


@dataclass(frozen=True, kw_only=True)
class Question:
    """常见问题。"""

    question: str = key(Text("问题", "", 200))
    answer: str = key(Text("解答", "", 1000))


@dataclass(frozen=True, kw_only=True)
class Appointment:
    """预约办理。"""

    supported: bool = key(Boolean("支持预约", "是否可以预约办理。"))
    phone: str | None = _optional(_phone("预约电话"))
    url: str | None = _optional(_url("预约网址"))
    how: str | None = _optional(Text("预约方式", "如 提前一个工作日预约。", 200))


@dataclass(frozen=True, kw_only=True)
class Delivery:
    """物流快递：申请材料和办理结果可否邮寄。"""

    materials: bool | None = _optional(Boolean("申请材料可邮寄", ""))
    results: bool | None = _optional(Boolean("办理结果可邮寄", ""))


@dataclass(frozen=True, kw_only=True)
class Hall:
    """进驻的政务服务大厅。"""

    name: str = key(Text("大厅名称", "如 示例市民中心。", 100))
    window: str | None = _optional(Text("窗口", "如 西楼 3 层 21—26 号窗口。", 100))


@dataclass(frozen=True, kw_only=True)
class Procedure:
    """一个办事事项（办事指南），``procedures/<department>/<id>.yml``。"""

    id: str = derived("事项 id")
    """File stem, unique inside the department; used in URLs."""
    department: str = derived("部门 id")
    """Owning department id (the folder)."""
    source: str = derived("文件")
    """Path of the YAML file, relative to the repository root."""
    code: str | None = _optional(
        Text(
            "实施编码",
            "全站唯一。指南没有印实施编码的不写：事项以文件路径为标识，没有办件统计，导出的实施编码为空。",
            64,
            CODE,
            integers=True,
        ),
        compare=False,
    )
    name: str = key(Text("事项名称", "", 100))
    type: str | None = _optional(Label("事项类型", "site.yml 中定义的类型之一，如 行政许可。", 20))
    category: str | None = _optional(Text("事项类别", "指南所写的事项类别，如 依申请类、公共服务类。", 30))
    audience: tuple[str, ...] | None = _optional(ListOf("服务对象", "", Choice("服务对象", "", AUDIENCES), 1))
    kind: Kind | None = _optional(Choice("办件类型", "即办件 或 承诺件；指南没有写的不写。", KINDS))
    accepting: str | None = _optional(Text("受理机构", "与本部门不同时写明，如 县政务服务中心不动产登记窗口。", 100))
    undertaking: str | None = _optional(Text("承办机构", "指南写明的承办机构，如 县民政局婚姻登记处。", 100))
    deciding: str | None = _optional(Text("决定机构", "与本部门不同时写明。", 100))
    joint: tuple[str, ...] | None = _optional(
        ListOf(
            "联办部门",
            "参与办理的其他部门：本站有的写部门文件夹名（如 zrzy），没有的写全称（如 灌南县公安局）。",
            Text("联办部门", "", 100),
            1,
        )
    )
    basis: tuple[LegalBasis, ...] | None = _optional(
        ListOf("设定依据", "", Record("设定依据", "", LegalBasis), 1, identity="law")
    )
    conditions: tuple[str, ...] | None = _optional(ListOf("受理条件", "", Text("受理条件", "", 500), 1))
    materials: tuple[Material, ...] = key(
        ListOf(
            "申请材料",
            "一次性告知的完整清单；不需要材料时写 []。",
            Record("申请材料", "一次性告知单中的一项。", Material),
            identity="name",
            added_is_worse=True,
        )
    )
    time_limits: TimeLimits | None = _optional(
        Record("办结时限", "每个办理情形都写了自己的时限时可以不写；不写时显示“未公布”或按情形。", TimeLimits)
    )
    fees: tuple[Fee, ...] | None = _optional(
        Fees(
            "收费",
            "不收费时写 不收费；收费时列出收费项目。不写表示指南未公布。",
            ListOf("收费", "", Record("收费项目", "", Fee), identity="item", detail="standard", added_is_worse=True),
        )
    )
    visits: int | None = _optional(
        Integer("到办事现场次数", "不用到现场写 0。", maximum=20, unit="次", worse_if_more=True)
    )
    online: Online | None = _optional(Record("网上办理", "", Online))
    place: str | None = _optional(Text("办理地点", "不填时使用部门地址。", 200))
    hours: str | None = _optional(Text("办理时间", "不填时使用部门办公时间。", 200))
    consult: str | None = _optional(Text("咨询方式", "不填时使用部门咨询电话。", 200))
    contacts: tuple[Channel, ...] | None = _optional(CHANNELS)
    complaint: Contact | None = _optional(CONTACT)
    complaint_center: str | None = _optional(COMPLAINT_CENTER)
    review: str | None = _optional(REVIEW)
    litigation: str | None = _optional(LITIGATION)
    commitments: tuple[str, ...] = _optional(ListOf("服务承诺", "", Text("服务承诺", "", 300)), absent=())
    result: IssuedResult | None = _optional(
        TextOr(
            "审批结果",
            "结果名称，如 建设工程规划许可证；或写成含 name、type、sample、validity 的记录。",
            Record("审批结果", "", IssuedResult),
        )
    )
    quantity_limit: str | None = _optional(Text("数量限制", "有数量限制的写明限制，如 每年限额 20 个。", 300))
    situations: tuple[Situation, ...] | None = _optional(
        ListOf(
            "办理情形",
            "申请人情况不同、材料或时限不同的，分情形写；材料用 situations 指明所属情形。",
            Record("办理情形", "", Situation),
            min_items=2,
            identity="name",
        )
    )
    handling: tuple[str, ...] | None = _optional(
        ListOf("办理形式", "窗口办理、网上办理、快递申请，可写多个。", Choice("办理形式", "", HANDLING), 1)
    )
    appointment: Appointment | None = _optional(Record("预约办理", "", Appointment))
    delivery: Delivery | None = _optional(Record("物流快递", "", Delivery))
    intermediaries: tuple[Intermediary, ...] | None = _optional(
        ListOf("中介服务", "", Record("中介服务", "", Intermediary), 1, identity="name")
    )
    scope: str | None = _optional(Choice("通办范围", "", SCOPES))
    area: str | None = _optional(
        Text("办理范围", "可以在哪里办理（与通办范围不同，照指南写），如 全县各镇便民服务中心均可办理。", 200)
    )
    level: str | None = _optional(Choice("实施层级", "", LEVELS), national="行使层级")
    power_source: str | None = _optional(Choice("权力来源", "", POWER_SOURCES))
    hall: Hall | None = _optional(Record("进驻政务大厅", "", Hall), national="是否进驻政务大厅")
    onsite_reason: str | None = _optional(Text("必须现场办理的原因", "到现场次数不为 0 时说明为什么要到现场。", 300))
    directions: str | None = _optional(Text("交通指引", "如 乘 1 路公交到市民中心站。", 300))
    faq: tuple[Question, ...] | None = _optional(
        ListOf("常见问题", "", Record("常见问题", "", Question), 1, identity="question")
    )
    suspended: str | None = _optional(
        Notice(
            "暂停办理",
            "本事项暂停办理时写明原因、从何时起和恢复的安排，如 因系统升级，2026年12月1日起暂停受理，恢复时另行公告；"
            "页首醒目显示。恢复办理时删去。",
            300,
        )
    )
    published: str | None = _optional(
        Label("发布日期", "指南自己印的发布日期，YYYY-MM-DD；页面显示为 发布日期（更新日期仍取自修改记录）。", 10, DATE)
    )
    aliases: tuple[str, ...] | None = _optional(
        ListOf("别名", "群众常用的叫法，如 社保卡（社会保障卡申领），便于搜索。", Text("别名", "", 30), 1)
    )
    topics: tuple[str, ...] | None = _optional(
        ListOf("主题", "site.yml 中 topics 列出的主题之一，如 就业创业。", Text("主题", "", 20), 1)
    )
    steps: tuple[Step, ...] | None = _optional(
        ListOf(
            "办理流程",
            "第一个步骤是起点；流程只以图片公布时可以不写。",
            Record("办理环节", "", Step),
            2,
            identity="name",
        )
    )

    @property
    def slug(self) -> str:
        return f"{self.department}/{self.id}"

    @property
    def identity(self) -> str:
        """What keeps the item the same item across renames: its 实施编码, or its file path when it has none
        (a path has a slash, a code never does)."""
        return self.code or self.slug

    @property
    def committed(self) -> Duration | None:
        """The item's own committed limit; None when not stated (then every situation may state its own)."""
        return self.time_limits.committed if self.time_limits else None

    @property
    def statutory(self) -> Duration | None:
        return self.time_limits.statutory if self.time_limits else None

    @property
    def joint_names(self) -> tuple[str, ...]:
        """共同实施部门 named without a department folder on this site (shown as written)."""
        return tuple(j for j in self.joint or () if not IDENT.allows(j))

    @property
    def flow(self) -> tuple[Step, ...]:
        """The steps, or none when the guide does not state them."""
        return self.steps or ()

    def day_kind_of(self, limit: Duration) -> DayKind | None:
        """The days a limit counts: as written, or for 日/天 by the type (行政许可法 第八十二条: 行政许可 counts
        working days); None when it cannot be decided (日 in an item whose type is not stated)."""
        if limit.unit != "日":
            return limit.day_kind
        if self.type is None:
            return None
        return "工作日" if self.type == "行政许可" else "自然日"

    @property
    def day_kind(self) -> DayKind:
        """The kind of day the committed limit counts in; 工作日 unless it says otherwise."""
        return (self.day_kind_of(self.committed) if self.committed else None) or "工作日"

    @property
    def is_free(self) -> bool:
        """Stated as free (不收费); not stated is not free."""
        return self.fees == ()

    @property
    def departments(self) -> tuple[str, ...]:
        """Departments taking part, the owner first."""
        joint = (j for j in self.joint or () if IDENT.allows(j))
        seen = dict.fromkeys([self.department, *(s.department for s in self.flow), *joint])
        return tuple(seen)

    def step(self, step_id: str) -> Step:
        return next(s for s in self.flow if s.id == step_id)

    def situation(self, situation_id: str) -> Situation:
        return next(s for s in self.situations or () if s.id == situation_id)

    def for_situation(self, situation: Situation) -> Procedure:
        """The item as an applicant in ``situation`` sees it: its limits, fee, visits, online service and materials,
        and no other situations (so what is said of it, as by the summary words, is that situation's)."""
        stated = {name: getattr(situation, name) for name in ("fees", "visits", "online")}
        return dataclasses.replace(
            self,
            conditions=self._conditions_in(situation),
            time_limits=self._limits_in(situation),
            **{name: value for name, value in stated.items() if value is not None},
            materials=tuple(m for m in self.materials if m.applies_to(situation.id)),
            situations=None,
        )

    def _limits_in(self, situation: Situation) -> TimeLimits | None:
        """The situation's limits (its statutory one, when it states none, the item's), else the item's."""
        limits = situation.time_limits
        if limits is None:
            return self.time_limits
        return limits if limits.statutory is not None else dataclasses.replace(limits, statutory=self.statutory)

    def _conditions_in(self, situation: Situation) -> tuple[str, ...] | None:
        """The item's conditions and the situation's own."""
        if situation.conditions is None:
            return self.conditions
        return (*(self.conditions or ()), *situation.conditions)

    def stated_everywhere(self, get: Callable[[Procedure], object]) -> bool:
        """Whether the item states a value, itself or (when it has situations) in every situation."""
        return all(get(v) is not None for v in self.variants) if self.situations else get(self) is not None

    @property
    def variants(self) -> tuple[Procedure, ...]:
        """The item as seen in each of its situations (none when it has no situations)."""
        return tuple(self.for_situation(s) for s in self.situations or ())


MEMBER_REF = Label("成员事项", "本站事项的 部门/事项，如 gaj/csdj（procedures/gaj/csdj.yml）。", 100, ITEM_REF)


@dataclass(frozen=True, kw_only=True)
class Member:
    """一件事中的一个事项。"""

    item: str = key(MEMBER_REF)
    optional: bool = _optional(Boolean("按需办理", "指南写明按需办理、可选办理的写 true；不写为必办。"), absent=False)
    after: tuple[str, ...] = _optional(
        ListOf(
            "在其后办理",
            "须在哪些成员事项办结后才能办理（写它们的 部门/事项）；不写的与其他事项同时（并联）办理。",
            Label("须先办结的事项", "本一件事的成员事项（部门/事项）。", 100, ITEM_REF),
            1,
        ),
        absent=(),
    )
    provides: tuple[str, ...] = _optional(
        ListOf(
            "产出的材料",
            "本事项办结后产出、又是后续事项申请材料的，写那份材料在后续事项中的名称（如 出生医学证明）："
            "一件事的告知单不再要求申请人提交。",
            Text("材料名称", "", 100),
            1,
        ),
        absent=(),
    )


@dataclass(frozen=True, kw_only=True)
class BundleSituation:
    """一件事的一种情形：申请人情况不同，要办的事项不同。"""

    id: str = key(Label("情形 id", "本一件事内唯一，如 bendi。", 64, IDENT))
    name: str = key(Text("情形名称", "如 本地户籍。", 60))
    members: tuple[str, ...] = key(ListOf("本情形办理的事项", "这种情形要办的成员事项（部门/事项）。", MEMBER_REF, 1))


@dataclass(frozen=True, kw_only=True)
class SharedMaterial:
    """几个成员事项要求的同一份材料（名称或来源写得不同时）。"""

    name: str = key(Text("材料名称", "告知单上显示的名称。", 100))
    materials: tuple[str, ...] = key(
        ListOf(
            "各事项中的这份材料",
            "写 部门/事项：材料名称，如 gaj/csdj：父母双方居民身份证。",
            Text("事项中的材料", "", 200, MATERIAL_REF),
            2,
        )
    )


@dataclass(frozen=True, kw_only=True)
class Bundle:
    """高效办成一件事：把几个部门的事项合成一次申请，``procedures/bundles/<id>.yml``。"""

    id: str = derived("一件事 id")
    """File stem; used in URLs."""
    source: str = derived("文件")
    name: str = key(Text("一件事名称", "如 新生儿出生一件事。", 60))
    aliases: tuple[str, ...] | None = _optional(
        ListOf("别名", "群众常用的叫法，如 给孩子上户口，便于搜索。", Text("别名", "", 30), 1)
    )
    lead: str = key(Label("牵头部门", "受理这一次申请的部门文件夹名，如 wjw。", 64, IDENT))
    description: str | None = _optional(Text("一件事说明", "指南对这件事的介绍。", 1000))
    members: tuple[Member, ...] = key(
        ListOf("成员事项", "一起办理的事项，至少两个。", Record("成员事项", "", Member), 2, identity="item")
    )
    time_limits: TimeLimits | None = _optional(
        Record("一件事的办结时限", "指南对整件事承诺的时限；不写时显示“未公布”（不由各事项时限推算）。", TimeLimits)
    )
    visits: int | None = _optional(
        Integer("到办事现场次数", "整件事的；不用到现场写 0。", maximum=20, unit="次", worse_if_more=True)
    )
    fees: tuple[Fee, ...] | None = _optional(
        Fees(
            "收费",
            "整件事的：不收费时写 不收费；收费时列出收费项目。不写表示指南未公布。",
            ListOf("收费", "", Record("收费项目", "", Fee), identity="item", detail="standard", added_is_worse=True),
        )
    )
    online: Online | None = _optional(Record("网上办理", "一网办理的入口。", Online))
    place: str | None = _optional(Text("办理地点", "受理这一次申请的窗口；不填时使用牵头部门地址。", 200))
    hours: str | None = _optional(Text("办理时间", "不填时使用牵头部门办公时间。", 200))
    form: str | None = _optional(
        FilePath("一表申请的表格", "牵头部门文件夹内的路径，如 forms/csyjs-sqb.pdf。", rule=RELATIVE_PATH)
    )
    situations: tuple[BundleSituation, ...] | None = _optional(
        ListOf("办理情形", "要办的事项因情形而不同时写。", Record("办理情形", "", BundleSituation), 1, identity="id")
    )
    shared: tuple[SharedMaterial, ...] | None = _optional(
        ListOf(
            "同一份材料",
            "几个事项要求的同一份材料而名称或来源写得不同时写明；名称和来源都相同的自动合并。",
            Record("同一份材料", "", SharedMaterial),
            1,
        )
    )
    contacts: tuple[Channel, ...] | None = _optional(CHANNELS)
    basis: tuple[LegalBasis, ...] | None = _optional(
        ListOf("依据", "国家或省的文件，如 国发〔2024〕3号。", Record("依据", "", LegalBasis), 1, identity="law")
    )

    @property
    def slug(self) -> str:
        return f"bundles/{self.id}"

    @property
    def committed(self) -> Duration | None:
        """The bundle's own promised time, as written (None when it does not state one)."""
        return self.time_limits.committed if self.time_limits else None

    def member(self, ref: str) -> Member | None:
        return next((m for m in self.members if m.item == ref), None)


SITE = Record("站点设置", "全站设置：地区名称、效能投诉中心、事项类型和节假日更正。", Site)
DEPARTMENT = Record("部门", "一个部门的联系方式、效能投诉渠道、审核人和岗位表。", Department)
ITEM = Record("办事事项", "一个办事事项的办事指南。", Procedure)
BUNDLE = Record("一件事", "高效办成一件事：几个部门的事项一次告知、一表申请、一套材料、一窗受理。", Bundle)
FILES = {"site": SITE, "department": DEPARTMENT, "item": ITEM, "bundle": BUNDLE}
"""The declaration of each kind of file."""


# Jurisdiction -----------------------------------------------------------------


COMPLAINT_LABELS = ("投诉", "监督", "举报")
"""Labels of contacts that are complaint channels, not ways to ask."""


def is_complaint_label(label: str) -> bool:
    return any(word in label for word in COMPLAINT_LABELS)


def in_site_region(site: Site, department: Department) -> bool:
    """Whether the department belongs to the site's own region (so the site's bodies are its bodies)."""
    return department.region is None or department.region == site.region


def area_code(site: Site, department: Department) -> str | None:
    """The area code of a department's local numbers: its own, else the site's when it is in the site's region."""
    return department.area_code or (site.area_code if in_site_region(site, department) else None)


@dataclass(frozen=True)
class Bodies:
    """Whom an applicant turns to: the nearest statement of the item, its department, and the site (the site's only
    for a department of the site's region); None is 未公布."""

    complaint_center: str | None
    complaint: Contact | None
    """The complaint centre's contact (the site's, when the centre is the site's)."""
    own_complaint: Contact | None
    """The item's or the department's own complaint contact."""
    review: str | None
    litigation: str | None
    hotline: str | None

    @classmethod
    def of(cls, site: Site, department: Department, procedure: Procedure | None = None) -> Bodies:
        local = in_site_region(site, department)

        def nearest(name: str) -> str | None:
            """The item's, else the department's, else (for a department of the site's region) the site's."""
            stated = (procedure, department, site if local else None)
            return next((getattr(x, name) for x in stated if x is not None and getattr(x, name)), None)

        center = nearest("complaint_center")
        return cls(
            complaint_center=center,
            complaint=site.complaint if local and center == site.complaint_center else None,
            own_complaint=(procedure.complaint if procedure else None) or department.complaint,
            review=nearest("review"),
            litigation=nearest("litigation"),
            hotline=site.hotline,
        )

    @property
    def missing(self) -> tuple[str, ...]:
        """The bodies not stated, by their keys."""
        named = {"complaint_center": self.complaint_center, "review": self.review, "litigation": self.litigation}
        return tuple(key for key, value in named.items() if value is None)


# The catalog ----------------------------------------------------------------


@dataclass(frozen=True)
class FormFile:
    """A file under a department's ``forms/`` folder: a blank form or a sample."""

    path: str
    """Relative to ``procedures/``: ``zjj/forms/sgxk-sqb.pdf``."""
    size: int
    """In bytes, for the download link (下载空白表格（PDF，86 KB）)."""

    @property
    def department(self) -> str:
        return self.path.split("/", 1)[0]

    @property
    def relative(self) -> str:
        """Relative to the department's folder, as items name it: ``forms/sgxk-sqb.pdf``."""
        return self.path.split("/", 1)[1]


@dataclass(frozen=True)
class Catalog:
    """Everything that was loaded and validated: the input of every renderer."""

    site: Site
    """Site-wide settings."""
    departments: tuple[Department, ...]
    """All departments, sorted by id."""
    procedures: tuple[Procedure, ...]
    """All items, sorted by department and id."""
    forms: tuple[FormFile, ...] = ()
    """Form and sample files."""
    bundles: tuple[Bundle, ...] = ()
    """高效办成一件事, sorted by id."""

    def department(self, department_id: str) -> Department:
        return next(d for d in self.departments if d.id == department_id)

    def handler(self, procedure: Procedure, step: Step, separator: str = " · ") -> str:
        """The title of the position handling ``step``, prefixed by its department when it is another one."""
        if step.position is None:
            return ""
        department = self.department(step.department)
        position = department.position(step.position.position)
        title = position.title if position else step.position.position
        if step.department == procedure.department:
            return title
        return f"{department.short_name}{separator}{title}"

    def items_of(self, department_id: str) -> tuple[Procedure, ...]:
        return tuple(p for p in self.procedures if p.department == department_id)
