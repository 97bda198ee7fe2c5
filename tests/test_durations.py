"""Every accepted wording of a time limit: how it is shown, how it is read, and what is computed from it.

A limit is shown as the department wrote it.  Where a computation needs a unit
the wording leaves open (日, 天), the item's type decides: 行政许可 counts working
days (行政许可法 第八十二条), other types calendar days, and an item without a
stated type gets no computation, with the reason on the page.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from fractions import Fraction

import pytest

from generator.contract.values import DURATION, STATUTORY, Duration
from generator.model import Catalog, Procedure, TimeLimits
from generator.render.pages import day_rule
from generator.workdays import WorkCalendar

from .conftest import item_of, item_page

MONDAY = dt.date(2026, 3, 2)

WORDINGS = [
    # written, type, (amount, unit, note), day kind, deadline from Monday 2026-03-02 or None
    ("即办", "行政许可", (0, "即办", ""), None, MONDAY),
    ("当场", "行政许可", (0, "即办", ""), None, MONDAY),
    ("当场办结", "公共服务", (0, "即办", ""), None, MONDAY),
    ("5个工作日", "行政确认", (5, "工作日", ""), "工作日", dt.date(2026, 3, 9)),
    ("5 个工作日", "行政确认", (5, "工作日", ""), "工作日", dt.date(2026, 3, 9)),
    ("1个工作日内", "行政许可", (1, "工作日", ""), "工作日", dt.date(2026, 3, 3)),
    ("0.5个工作日", "行政许可", (Fraction(1, 2), "工作日", ""), "工作日", dt.date(2026, 3, 3)),
    ("30个自然日", "行政许可", (30, "自然日", ""), "自然日", dt.date(2026, 4, 1)),
    ("20日", "行政许可", (20, "日", ""), "工作日", dt.date(2026, 3, 30)),
    ("20日", "公共服务", (20, "日", ""), "自然日", dt.date(2026, 3, 23)),
    ("20日", None, (20, "日", ""), None, None),
    ("15天", "行政确认", (15, "日", ""), "自然日", dt.date(2026, 3, 17)),
    ("4小时", "公共服务", (4, "小时", ""), None, MONDAY),
    ("5个工作日（不含制证及邮寄时间）", "行政许可", (5, "工作日", "不含制证及邮寄时间"), "工作日", dt.date(2026, 3, 9)),
]


def with_type(p: Procedure, item_type: str | None) -> Procedure:
    return dataclasses.replace(p, type=item_type)


@pytest.mark.parametrize(("written", "item_type", "read", "kind", "deadline"), WORDINGS)
def test_a_wording_is_read_and_computed(
    demo: Catalog,
    written: str,
    item_type: str | None,
    read: tuple[object, str, str],
    kind: str | None,
    deadline: dt.date | None,
) -> None:
    assert DURATION.allows(written) and STATUTORY.allows(written)
    limit = Duration.parse(written)
    assert limit is not None
    assert (limit.amount, limit.unit, limit.note) == (Fraction(read[0]), read[1], read[2])  # type: ignore[arg-type]
    assert str(limit) == written  # shown as written
    p = with_type(item_of(demo, "zjj/sgxk"), item_type)
    assert p.day_kind_of(limit) == kind
    assert WorkCalendar.load().deadline(MONDAY, limit, p.day_kind_of(limit)) == deadline


def test_a_day_limit_of_an_item_without_a_type_says_why_nothing_is_computed(demo: Catalog) -> None:
    p = with_type(item_of(demo, "zjj/sgxk"), None)
    p = dataclasses.replace(
        p, time_limits=TimeLimits(statutory=Duration.parse("20日"), committed=Duration.parse("20日"))
    )  # type: ignore[arg-type]
    assert day_rule(p) == "事项类型未公布，写作“日”的时限无法确定按工作日还是自然日计算。"
    page = item_page(demo, p)
    assert "## 什么时候能办完" not in page  # no calculator: the kind of day is unknown


def test_day_rules_are_stated_on_the_page(demo: Catalog) -> None:
    p = item_of(demo, "gaj/sfz-hl")  # 行政确认, statutory 60日
    assert day_rule(p) == "写作“日”的时限按自然日计算（本事项不是行政许可）。"
    page = item_page(demo, p)
    assert "按自然日计算（本事项不是行政许可）" in page and "15个工作日（不含邮寄时间）" in page
    assert 'data-statutory="60" data-statutory-unit="自然日"' in page


@pytest.mark.parametrize("written", ["无"])
def test_no_statutory_limit_is_a_statement_and_computes_nothing(demo: Catalog, written: str) -> None:
    assert STATUTORY.allows(written) and not DURATION.allows(written)
    limit = Duration.parse(written)
    assert limit is not None and limit.is_none and WorkCalendar.load().deadline(MONDAY, limit) is None
    p = dataclasses.replace(
        item_of(demo, "zjj/sgxk"),
        time_limits=TimeLimits(statutory=limit, committed=Duration.parse("3个工作日")),  # type: ignore[arg-type]
    )
    page = item_page(demo, p)
    assert "法律未规定时限" in page and "data-statutory=" not in page


@pytest.mark.parametrize(
    "written", ["二十天", "5个工作日以内", "五个工作日", "5 工作 日", "（不含邮寄）", "20日（）", "即办即结"]
)
def test_other_wordings_are_refused(written: str) -> None:
    assert not STATUTORY.allows(written) and Duration.parse(written) is None
