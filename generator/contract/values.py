"""Rules on values, each written once and used twice: as the validator's check and as JSON Schema.

A :class:`Rule` is one regular expression in the syntax that Python's ``re``
and ECMA-262 (JSON Schema's ``pattern``) share.  The validator applies it with
``re.search``, exactly as the ``jsonschema`` library does, so the editor's
schema and the validator cannot disagree about a value.  Only ASCII classes
such as ``[0-9]`` are used: ``\\d`` would admit full-width digits in Python
but not in JavaScript.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Final

from .vocab import HOURS_PER_DAY, DayKind, DurationUnit


@dataclass(frozen=True)
class Rule:
    """A rule on a text value: a pattern and the message id used when a value breaks it."""

    code: str
    """Message id in :mod:`generator.messages`."""
    pattern: str
    """A regular expression valid in both Python and ECMA-262, applied with ``re.search``."""
    examples: tuple[str, ...] = ()
    """Values that pass, for the editor schema and messages."""
    _compiled: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_compiled", re.compile(self.pattern))

    def allows(self, text: str) -> bool:
        return self._compiled.search(text) is not None

    def match(self, text: str) -> re.Match[str] | None:
        return self._compiled.search(text)


_CONTROLS = r"\u0000-\u0008\u000b-\u001f\u007f-\u009f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
"""C0 and C1 controls (tab and line feed excepted), lone surrogates and non-characters."""
_WHITE = r"\t\n\u000b\u000c\r \u001c-\u001f\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
"""White space as either engine counts it, spelt out: Python's and ECMA-262's ``\\s`` differ."""
END = r"(?![\s\S])"
"""The end of the text; ``$`` would also match before a final line break in Python, not in ECMA-262."""

PRINTABLE: Final = Rule("control_character", rf"^[^{_CONTROLS}]*{END}")
"""Every text: no control characters, lone surrogates or non-characters (they never reach a page)."""
NOT_BLANK: Final = Rule("empty_text", rf"[^{_WHITE}]")
"""Every text: something besides white space."""

IDENT: Final = Rule("bad_id", rf"^[a-z][a-z0-9-]*{END}", ("shouli", "sgxk-bg"))
"""Ids of steps, positions, items and departments: they become URLs, HTML ids and file names."""
CODE: Final = Rule("bad_code", rf"^[0-9A-Za-z][0-9A-Za-z._-]*{END}", ("11000000MB0000001X4000112345601001",))
"""实施编码: letters, digits, dot, underscore and hyphen."""
_NOT_IN_URL = "<>\"'\\\\^`{|}"
"""Characters that would need escaping in HTML or are not allowed in a URL (the regex escapes the backslash)."""
URL: Final = Rule(
    "bad_url", f"^[hH][tT][tT][pP][sS]?://[^{_WHITE}{_CONTROLS}{_NOT_IN_URL}]+{END}", ("https://www.example.gov.cn/",)
)
"""An http or https address, without characters that would need escaping in HTML."""
HTTPS_URL: Final = Rule(
    "bad_https", f"^https://[^{_WHITE}{_CONTROLS}{_NOT_IN_URL}]+{END}", ("https://banshi.example.gov.cn/",)
)
"""A public address of a government site: https only (政府网站应使用 HTTPS)."""
_PROVINCES = "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵黔云滇藏陕秦甘陇青宁新"
AREA: Final = Rule("bad_area_code", rf"^0[1-9][0-9]{{1,2}}{END}", ("0316", "010"))
"""A long-distance area code (长途区号): 0 and two or three digits."""
SITE_CODE: Final = Rule("bad_site_code", rf"^(?:[0-9]{{10}}|bm[0-9]{{8}}){END}", ("1100000001", "bm17000011"))
"""政府网站标识码: ten digits (地方政府网站) or bm and eight digits (部门网站)."""
ICP: Final = Rule("bad_icp", rf"^[{_PROVINCES}]ICP备[0-9]{{8,10}}号(?:-[0-9]{{1,3}})?{END}", ("京ICP备05070218号-1",))
"""ICP备案号, as the 工业和信息化部 registry writes it: 京ICP备05070218号, with -1 for a second site."""
POLICE: Final = Rule("bad_police", rf"^[{_PROVINCES}]公网安备 ?[0-9]{{14}}号{END}", ("京公网安备 11010202000001号",))
"""公安机关备案号: the province, 公网安备 and the fourteen-digit record number."""
_SEGMENT = f"[^/\\\\:\\t\\n{_CONTROLS}]+"
"""A path segment: no slash, backslash, colon (a drive letter), tab or line break."""
RELATIVE_PATH: Final = Rule(
    "bad_path",
    rf"^(?!~)(?!(?:[^/]*/)*\.\.?(?:/|{END})){_SEGMENT}(?:/{_SEGMENT})*{END}",
    ("forms/申请表.pdf",),
)
"""A file inside the department's folder: no leading /, no ~, no . or .. segment, no empty segment."""
OWNER: Final = Rule(
    "bad_owner",
    rf"^(?:@[A-Za-z0-9][A-Za-z0-9_.-]*(?:/[A-Za-z0-9][A-Za-z0-9_.-]*)*"
    rf"|[^@{_WHITE}]+@[^@{_WHITE}]+\.[^@{_WHITE}]+){END}",
    ("@org/team", "@zhangsan"),
)
"""A code host account or team, or an e-mail address, as CODEOWNERS accepts it."""
ITEM_REF: Final = Rule("bad_item_ref", rf"^[a-z][a-z0-9-]*/[a-z][a-z0-9-]*{END}", ("rsj/sbk",))
"""An item, by its department folder and file name: ``rsj/sbk`` is procedures/rsj/sbk.yml."""
MATERIAL_REF: Final = Rule(
    "bad_material_ref", rf"^[a-z][a-z0-9-]*/[a-z][a-z0-9-]*[：:][^{_WHITE}].*{END}", ("gaj/csdj：父母双方居民身份证",)
)
"""A material of an item: ``gaj/csdj：父母双方居民身份证`` (department/item, a colon, the material's name)."""
POSITION_REF: Final = Rule(
    "bad_position_ref", rf"^(?:[a-z][a-z0-9-]*/)?[a-z][a-z0-9-]*{END}", ("chuangkou", "sthj/shencha")
)
"""A position of this department (``pos``) or of another one (``dept/pos``)."""

_YEAR = r"(?:[0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})"
_LEAP_YEAR = r"(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"
DATE: Final = Rule(
    "bad_date",
    rf"^(?:{_YEAR}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    rf"|02-(?:0[1-9]|1[0-9]|2[0-8]))|{_LEAP_YEAR}-02-29){END}",
    ("2026-10-01",),
)
"""A calendar date that exists, YYYY-MM-DD (so 2023-02-29 and 0000-01-01 are refused by the pattern itself)."""

_IMMEDIATE = r"(即办|当场办结|当场)"
_AMOUNT = r"([0-9]+(?:\.[0-9]+)?) ?(?:个 ?)?(工作日|自然日|日|天|小时)( ?内)?"
_NOTE = r"(?:（([^（）]{1,80})）)?"
DURATION_FORMS: Final = ("当场办结", "5个工作日", "30个自然日", "20日", "1个工作日内", "5个工作日（不含邮寄时间）")
DURATION: Final = Rule("bad_duration", rf"^(?:{_IMMEDIATE}|{_AMOUNT}){_NOTE}{END}", DURATION_FORMS)
"""A time limit as real guides write it: 即办 or 当场（办结）, or N 个工作日/自然日/日/天/小时, with 内 and a note
in full-width parentheses."""
STATUTORY: Final = Rule("bad_duration", rf"^(?:无|{_IMMEDIATE}|{_AMOUNT}){_NOTE}{END}", (*DURATION_FORMS, "无"))
"""A statutory limit: as :data:`DURATION`, or 无 when the law sets none."""
_LOWER = r"(最短仅需|最快仅需|最短|最快)"
COMMITTED: Final = Rule(
    "bad_duration", rf"^(?:{_IMMEDIATE}|{_LOWER}? ?{_AMOUNT}){_NOTE}{END}", (*DURATION_FORMS, "最短仅需5个工作日")
)
"""A committed limit: as :data:`DURATION`, or a lower bound as some guides print it (最短仅需5个工作日), which is
kept as written and never shown as a promise."""
"""A statutory limit: as :data:`DURATION`, or 无 when the law sets none."""

_FULL_PHONE = (
    r"(?:\+86 ?)?1[3-9][0-9]{9}"  # mobile
    r"|[48]00[- ]?[0-9]{3}[- ]?[0-9]{4}"  # 400 and 800 numbers
    r"|(?:\+86 ?)?(?:\(0[0-9]{2,3}\) ?|0[0-9]{2,3}[- ]?)(?:[0-9]{7,8}|1[0-9]{4})(?:(?:转|-|ext\.? ?)[0-9]{1,6})?"
)
_LOCAL_PHONE = r"[2-9][0-9]{6,7}(?:(?:转|-)[0-9]{1,6})?"  # 7868512 as a county guide prints it, without the area code
_PHONE = rf"(?:[0-9]{{3,6}}|{_LOCAL_PHONE}|{_FULL_PHONE})"  # 12345, 110, 12315 in a field of their own
PHONE_PATTERN: Final = rf"(?:12[0-9]{{3}}|{_FULL_PHONE})"
"""A telephone number inside other text, for tap-to-call links: full numbers and the 123xx service hotlines
(other short numbers would be confused with years and amounts)."""
PHONE: Final = Rule(
    "bad_phone", rf"^{_PHONE}{END}", ("0316-7868512", "7868512", "12345", "13800138000", "0316-7868512转801")
)
"""One telephone number: it becomes a tap-to-call link, so nothing else may be in the field."""
LOCAL_PHONE: Final = re.compile(rf"^{_LOCAL_PHONE}$")
"""A local number without its area code (dialled as it is within the area)."""


def phone_problem(text: str) -> str:
    """What is wrong with a text that is not one telephone number, in a few words."""
    digits = re.sub(r"[^0-9]", "", text)
    if len(re.findall(r"[0-9]{3,}", text)) > 1 and re.search(r"[、,，;；/或和]", text):
        return "这里写了几个号码"
    if re.search(r"[^0-9\s()（）+\-转ext.]", text):
        return "号码中夹有文字或符号"
    if text.startswith("0") and not re.match(r"^0[0-9]{2,3}", text):
        return "区号不对"
    return f"有 {len(digits)} 位数字；本地号码 7–8 位，带区号的 10–12 位，手机 11 位，服务热线 3–6 位"


EMAIL: Final = Rule(
    "bad_email",
    rf"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{{2,}}{END}",
    ("xiaoneng@example.gov.cn",),
)
"""One e-mail address; it becomes a mailto: link."""
OUTCOME: Final = Rule(
    "bad_result",
    rf"^(?:补正|退件|不予[\u4e00-\u9fff]{{2,8}}|[a-z][a-z0-9-]*){END}",
    ("补正", "不予受理", "不予许可", "不予登记", "退件", "shencha"),
)
"""An outcome: 补正, a refusal written 不予…, 退件, or a step id."""


def format_number(value: Fraction) -> str:
    """Print 5, 0.5 or 2.25 without trailing zeros."""
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):g}"


_PARSER = re.compile(rf"^(?:(无)|{_IMMEDIATE}|{_LOWER}? ?{_AMOUNT}){_NOTE}{END}")
_UNITS: dict[str, DurationUnit] = {"工作日": "工作日", "自然日": "自然日", "日": "日", "天": "日", "小时": "小时"}


@dataclass(frozen=True, order=False)
class Duration:
    """A time limit, kept as written (1个工作日内, 当场办结, 20日) and read as an amount and a unit."""

    amount: Fraction
    """How many units; zero for 即办 and 无."""
    unit: DurationUnit
    """即办, 工作日, 自然日, 日 (written 日 or 天: which days depends on the item), 小时, or 无 (no limit by law)."""
    note: str = ""
    """What the limit excludes, as written in full-width parentheses: 不含制证及邮寄时间."""
    written: str = field(default="", compare=False)
    """The text as the department wrote it; how it is shown."""
    lower: bool = False
    """A lower bound (最短仅需5个工作日), not a promise: never 办结 within it, never a deadline or a comparison."""

    @classmethod
    def parse(cls, text: str) -> Duration | None:
        """The duration, or None when the text breaks :data:`STATUTORY`."""
        match = _PARSER.match(text)
        if match is None:
            return None
        none, immediate, lower, amount, unit, _, note = match.groups()
        if immediate:
            return cls(Fraction(0), "即办", note or "", text)
        if none:
            return cls(Fraction(0), "无", note or "", text)
        return cls(Fraction(amount), _UNITS[unit], note or "", text, lower=bool(lower))

    @property
    def days(self) -> Fraction:
        """The length in days, counting 8 hours as one day, for comparisons."""
        if self.unit == "小时":
            return self.amount / HOURS_PER_DAY
        return self.amount

    @property
    def day_kind(self) -> DayKind | None:
        """工作日 or 自然日 as written; None for units that fit either (即办, 小时) or that the item decides (日)."""
        if self.unit == "工作日" or self.unit == "自然日":
            return self.unit
        return None

    @property
    def is_immediate(self) -> bool:
        return self.unit == "即办" or (self.amount == 0 and self.unit != "无")

    @property
    def is_promise(self) -> bool:
        """A limit within which the work is done: not a lower bound, not 无."""
        return not self.lower and self.unit != "无"

    @property
    def is_none(self) -> bool:
        """The law sets no limit (written 无)."""
        return self.unit == "无"

    @property
    def normalized(self) -> str:
        """The limit in one spelling, for messages: 即办, 无, 5 个工作日, 20 日, 4 小时."""
        if self.unit in ("即办", "无"):
            return self.unit
        number = format_number(self.amount)
        return f"{number} 个{self.unit}" if self.unit in ("工作日", "自然日") else f"{number} {self.unit}"

    def __str__(self) -> str:
        return self.written or self.normalized + (f"（{self.note}）" if self.note else "")

    @property
    def within(self) -> str:
        """The limit before 办结 in "承诺 … 办结": 5个工作日内; a wording that says 内 already is kept as written
        (never 1个工作日内内)."""
        text = str(self)
        return text if "内" in text or self.lower else text + "内"


def iso_duration(limit: Duration, kind: DayKind | None = None) -> str | None:
    """An ISO 8601 duration (calendar time), only where the limit is one: 即办, hours, calendar days (``kind`` is
    the item's day kind, for a limit written in 日).  None for working days, which have no fixed calendar length
    (10个工作日 is not P10D), for 日 of unknown kind, and for 无 (no limit is not a zero duration)."""
    if not limit.is_promise:
        return None
    if limit.is_immediate:
        return "PT0S"
    if limit.unit == "小时":
        return f"PT{format_number(limit.amount)}H"
    if (limit.day_kind or kind) != "自然日":
        return None
    if limit.amount.denominator == 1:
        return f"P{limit.amount.numerator}D"
    return f"PT{format_number(Fraction(limit.amount * 24))}H"


def days_text(days: Fraction, kind: DayKind) -> str:
    """A day count as a duration text, e.g. ``5 个工作日``; zero is 即办."""
    if days == 0:
        return "即办"
    return f"{format_number(days)} 个{kind}"
