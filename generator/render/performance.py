"""效能公开 from the case records: the statistics page's sections, its charts, and the open data files.

Everything here comes from :class:`generator.records.figures.Performance`, the
figures after disclosure control: a hidden count is None and is printed as
``*`` (``null`` in JSON); a rate is the quotient of two published counts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from ..contract.yaml12 import Json
from ..model import Catalog, Procedure
from ..records.figures import (
    EXCLUDED,
    HIDDEN,
    RATES,
    RATINGS,
    Count,
    Performance,
    Shown,
    count_text,
    rate,
    rate_text,  # fmt: skip
)
from .barchart import Bar, bar_chart
from .tabular import csv_text

PERFORMANCE_CSV = "data/performance.csv"
PERFORMANCE_JSON = "data/performance.json"
PERFORMANCE_SCHEMA = "data/performance.schema.json"
VERSION = "2.0"

COLUMNS = (
    ("办件量", "received"),
    ("网上申请", "online"),
    ("办结量", "finished"),
    ("办结（准予）", "done"),
    ("即办件", "immediate"),
    ("计入按时率的办结件", "counted"),
    ("按时办结", "on_time"),
    ("超期办结", "late"),
    ("在办", "open"),
    ("在办超期", "open_overdue"),
    ("好差评评价数", "rated"),
    ("满意评价数", "satisfied"),
)
"""The counts of open data, in order: (中文列名, :class:`Shown` attribute)."""
RATE_COLUMNS = (
    ("按时办结率", "on_time_rate", "on_time"),
    ("即办率", "immediate_rate", "immediate"),
    ("网办率", "online_rate", "online"),
    ("满意率", "satisfaction_rate", "satisfied"),
)
"""(中文列名, JSON key, :data:`RATES` name)."""
HIDDEN_NOTE = "为保护个人信息不公布的数字"


def month_label(month: str) -> str:
    """2026-01 → 2026年1月."""
    year, number = month.split("-")
    return f"{year}年{int(number)}月"


@dataclass(frozen=True)
class Rates:
    """The published rates of one group, as text (— when they cannot be told)."""

    on_time: str
    immediate: str
    online: str
    satisfied: str

    @classmethod
    def of(cls, shown: Shown, minimum: int) -> Rates:
        return cls(**{name: rate_text(rate(shown, name, minimum)) for name in RATES})


def item_line(shown: Shown, minimum: int) -> str:
    """近 12 个月：办件 1,234 件，按时办结 98.6%，满意率 99.1% (what can be told)."""
    if shown.received is None:
        return "近 12 个月：办件数量较少，为保护个人信息不公布具体数字"
    parts = [f"办件 {count_text(shown.received)} 件"]
    rates = Rates.of(shown, minimum)
    if rates.on_time != "—":
        parts.append(f"按时办结 {rates.on_time}")
    if rates.satisfied != "—":
        parts.append(f"满意率 {rates.satisfied}")
    return "近 12 个月：" + "，".join(parts)


@dataclass(frozen=True)
class MonthRow:
    month: str
    received: str
    finished: str
    on_time_rate: str
    late: str
    satisfaction_rate: str


@dataclass(frozen=True)
class DepartmentRow:
    name: str
    link: str
    received: str
    on_time_rate: str
    late: str
    online_rate: str
    satisfaction_rate: str
    complaints: str


@dataclass(frozen=True)
class ItemRow:
    item: Procedure
    department: str
    count: str
    rate: str


@dataclass(frozen=True)
class ComplaintRow:
    name: str
    link: str
    received: str
    closed: str
    upheld: str


@dataclass(frozen=True)
class RecordsPage:
    """What the statistics page shows from the records: every cell already as published text."""

    p: Performance
    site: dict[str, str]
    """The site's counts (received, finished, late, open, open_overdue) as text."""
    rates: Rates
    charts: dict[str, Markup]
    months: tuple[MonthRow, ...]
    departments: tuple[DepartmentRow, ...]
    late: tuple[ItemRow, ...]
    """Items with the most 超期办结 (published, at least the minimum), with their 按时办结率."""
    unhappy: tuple[ItemRow, ...]
    """Items with the lowest published 满意率, with their number of ratings."""
    ratings: tuple[tuple[str, str], ...]
    complaints: tuple[ComplaintRow, ...]
    complaints_total: dict[str, str]
    excluded: tuple[tuple[str, str], ...]
    unknown_codes: str | None
    rejected: str | None
    hidden: bool
    """Whether any count on the page is hidden (then the page explains the ``*``)."""


def page(p: Performance, catalog: Catalog, link_of: dict[str, str]) -> RecordsPage:
    """What the statistics page shows from the records."""
    m = p.minimum
    short = {d.id: d.label for d in catalog.departments}
    months = tuple(_month(month, f, m) for month, f in p.months)
    departments = tuple(_department(d.id, d.label, link_of[d.id], p) for d in catalog.departments)
    late, unhappy = _attention(p, catalog, short)
    site = {
        name: count_text(getattr(p.site, name)) for name in ("received", "finished", "late", "open", "open_overdue")
    }
    total = {n: count_text(getattr(p.complaints_total, n)) for n in ("received", "closed", "upheld")}
    ratings = tuple((name, count_text(n)) for name, n in zip(RATINGS, p.ratings, strict=True))
    texts = [x for row in (*months, *departments) for x in row.__dict__.values()]
    return RecordsPage(
        p=p,
        site=site,
        rates=Rates.of(p.site, m),
        charts=_charts(p),
        months=months,
        departments=departments,
        late=late,
        unhappy=unhappy,
        ratings=ratings,
        complaints=_complaint_rows(p, short, link_of),
        complaints_total=total,
        excluded=tuple((EXCLUDED[reason], count_text(n)) for reason, n in sorted(p.excluded.items())),
        unknown_codes=None if p.unknown_codes == 0 else count_text(p.unknown_codes),
        rejected=None if p.rejected == 0 else count_text(p.rejected),
        hidden=_hides([*texts, *site.values(), *total.values()], ratings),
    )


def _hides(texts: list[object], ratings: tuple[tuple[str, str | None], ...]) -> bool:
    """Whether any shown count is hidden (the page then explains the ``*``)."""
    return any(HIDDEN in str(text) for text in texts) or any(n is None for _, n in ratings)


def _attention(
    p: Performance, catalog: Catalog, short: dict[str, str]
) -> tuple[tuple[ItemRow, ...], tuple[ItemRow, ...]]:
    """The ten items with the most late cases, and the ten least satisfied (only counts that may be shown)."""
    m = p.minimum
    by_code = {x.code: x for x in catalog.procedures}
    items = {code: shown for code, shown in p.items.items() if code in by_code}
    late = sorted(((f.late, code) for code, f in items.items() if (f.late or 0) >= m), reverse=True)[:10]
    unhappy = sorted((r, code) for code, f in items.items() if (r := rate(f, "satisfied", m)) is not None)[:10]

    def row(code: str, count: str, shown_rate: str) -> ItemRow:
        item = by_code[code]
        return ItemRow(item, short[item.department], count, shown_rate)

    return (
        tuple(row(c, count_text(n), Rates.of(items[c], m).on_time) for n, c in late),
        tuple(row(c, count_text(items[c].rated), rate_text(r)) for r, c in unhappy),
    )


def _complaint_rows(p: Performance, short: dict[str, str], link_of: dict[str, str]) -> tuple[ComplaintRow, ...]:
    """Each department's complaints, then those naming no department of the site."""
    rows = sorted(p.complaints.items(), key=lambda pair: (pair[0] not in short, pair[0]))
    return tuple(
        ComplaintRow(
            short.get(d, "未指明部门"),
            link_of.get(d, ""),
            *(count_text(getattr(c, n)) for n in ("received", "closed", "upheld")),
        )
        for d, c in rows
    )


def _month(month: str, f: Shown, minimum: int) -> MonthRow:
    rates = Rates.of(f, minimum)
    return MonthRow(
        month_label(month), count_text(f.received), count_text(f.finished), rates.on_time, count_text(f.late),
        rates.satisfied,
    )  # fmt: skip


def _department(department: str, name: str, link: str, p: Performance) -> DepartmentRow:
    f = p.departments.get(department)
    complaints = p.complaints.get(department)
    said = count_text(complaints.received) if complaints else "0"
    if f is None:
        return DepartmentRow(name, link, "无办件记录", "—", "—", "—", "—", said)
    rates = Rates.of(f, p.minimum)
    return DepartmentRow(
        name, link, count_text(f.received), rates.on_time, count_text(f.late), rates.online, rates.satisfied, said
    )


def _charts(p: Performance) -> dict[str, Markup]:
    """Bars for the months: a hidden count has no bar (its length would tell it)."""
    m = p.minimum
    received = [Bar(month_label(month), f.received or 0, count_text(f.received)) for month, f in p.months]
    on_time = []
    for month, f in p.months:
        value = rate(f, "on_time", m)
        on_time.append(Bar(month_label(month), value or 0.0, rate_text(value)))
    top = max((b.value for b in received), default=1) or 1
    return {
        "received": bar_chart("chart-received", "每月办件量", received, top, "stat-months"),
        "on_time": bar_chart("chart-on-time", "每月按时办结率", on_time, 1.0, "stat-months"),
    }


def open_data(p: Performance, catalog: Catalog) -> dict[str, str]:
    """The published figures as CSV (UTF-8 with BOM, a row per group), JSON and its schema; hidden counts are
    ``*`` in CSV and null in JSON."""
    names = {d.id: d.name for d in catalog.departments}
    by_code = {x.code: x for x in catalog.procedures}
    m = p.minimum

    def record(f: Shown) -> dict[str, Json]:
        data: dict[str, Json] = {key: getattr(f, key) for _, key in COLUMNS}
        for _, key, name in RATE_COLUMNS:
            value = rate(f, name, m)
            data[key] = None if value is None else round(value, 4)
        return data

    months = {month: record(f) for month, f in p.months}
    departments = {d: {"name": names.get(d, d), **record(f)} for d, f in p.departments.items()}
    items = {
        code: {"name": by_code[code].name, "department": by_code[code].department, **record(f)}
        for code, f in p.items.items()
        if code in by_code
    }
    data: dict[str, Json] = {
        "version": VERSION,
        "demo": p.demo,
        "start": p.start.isoformat(),
        "end": p.end.isoformat(),
        "minimum": m,
        "hidden": f"null 表示{HIDDEN_NOTE}",
        "site": record(p.site),
        "months": {month: values for month, values in months.items()},
        "departments": {d: values for d, values in departments.items()},
        "items": {code: values for code, values in items.items()},
        "ratings": {name: n for name, n in zip(RATINGS, p.ratings, strict=True)},
    }
    header = [
        "范围",
        "月份",
        "部门",
        "实施编码",
        "事项名称",
        *(t for t, _ in COLUMNS),
        *(t for t, _, _ in RATE_COLUMNS),
    ]

    def row(scope: str, month: str, department: str, code: str, name: str, values: dict[str, Json]) -> list[Any]:
        counts = [HIDDEN if values[key] is None else values[key] for _, key in COLUMNS]
        return [scope, month, department, code, name, *counts, *(values[key] for _, key, _ in RATE_COLUMNS)]

    rows = [row("全市", "", "", "", "", record(p.site))]
    rows += [row("月份", month, "", "", "", values) for month, values in months.items()]
    rows += [row("部门", "", names.get(d, d), "", "", values) for d, values in departments.items()]
    rows += [
        row("事项", "", names.get(by_code[code].department, ""), code, by_code[code].name, values)
        for code, values in items.items()
    ]
    return {
        PERFORMANCE_CSV: csv_text(header, rows),
        PERFORMANCE_JSON: json.dumps(data, ensure_ascii=False, indent=1) + "\n",
        PERFORMANCE_SCHEMA: json.dumps(schema(), ensure_ascii=False, indent=1) + "\n",
    }


TOP_LEVEL = (
    "version",
    "demo",
    "start",
    "end",
    "minimum",
    "hidden",
    "site",
    "months",
    "departments",
    "items",
    "ratings",
)


def schema() -> dict[str, Any]:
    """JSON Schema of data/performance.json."""
    count = {"type": ["integer", "null"], "minimum": 0}
    share = {"type": ["number", "null"], "minimum": 0, "maximum": 1}
    properties: dict[str, Any] = {
        key: {**count, "description": f"{title}（null 表示{HIDDEN_NOTE}）"} for title, key in COLUMNS
    }
    for title, key, _ in RATE_COLUMNS:
        properties[key] = {**share, "description": f"{title}（相应件数不公布或少于最少件数时为 null）"}
    required = list(properties)
    figures = {"type": "object", "properties": properties, "required": required, "additionalProperties": False}
    named = {
        "type": "object",
        "properties": {"name": {"type": "string"}, **properties},
        "required": ["name", *required],
        "additionalProperties": False,
    }
    item = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "department": {"type": "string"}, **properties},
        "required": ["name", "department", *required],
        "additionalProperties": False,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "办件效能统计（近 12 个月，只含汇总数，经统计披露控制）",
        "type": "object",
        "properties": {
            "version": {"const": VERSION},
            "demo": {"type": "boolean", "description": "true 表示演示数据"},
            "start": {"type": "string", "format": "date"},
            "end": {"type": "string", "format": "date"},
            "minimum": {
                "type": "integer",
                "description": "少于这个件数的数字，以及可由其他数字推算出它们的数字，都不公布",
            },
            "hidden": {"type": "string"},
            "site": figures,
            "months": {
                "type": "object",
                "propertyNames": {"pattern": "^[0-9]{4}-[0-9]{2}$"},
                "additionalProperties": figures,
            },
            "departments": {"type": "object", "additionalProperties": named},
            "items": {"type": "object", "additionalProperties": item},
            "ratings": {"type": "object", "additionalProperties": count},
        },
        "required": list(TOP_LEVEL),
        "additionalProperties": False,
    }


__all__ = ["COLUMNS", "RATE_COLUMNS", "Count", "RecordsPage", "item_line", "open_data", "page", "schema"]
