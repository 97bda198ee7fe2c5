"""效能公开 from the case records: the statistics page's sections, its charts, and the open data files.

Only aggregates are here (see :mod:`generator.records.figures`); every count
and rate goes through ``count_text`` / ``rate_text``, which hide small numbers.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

from ..contract.yaml12 import Json
from ..model import Catalog
from ..records.figures import EXCLUDED, RATINGS, Figures, Performance, count_text, rate_text, rate_value
from .barchart import Bar, bar_chart

PERFORMANCE_CSV = "data/performance.csv"
PERFORMANCE_JSON = "data/performance.json"
PERFORMANCE_SCHEMA = "data/performance.schema.json"
VERSION = "1.0"

COLUMNS = (
    ("办件量", "received"),
    ("办结量", "finished"),
    ("计入按时率的办结件", "counted"),
    ("按时办结", "on_time"),
    ("超期件", "overdue"),
    ("即办件", "immediate"),
    ("网上申请", "online"),
    ("好差评评价数", "rated"),
    ("满意评价数", "satisfied"),
)
"""The counts of open data, in order: (中文列名, :class:`Figures` attribute)."""


@dataclass(frozen=True)
class Row:
    """One line of a table on the page: every cell already as published."""

    name: str
    link: str
    cells: tuple[str, ...]


def month_label(month: str) -> str:
    """2026-01 → 2026年1月."""
    year, number = month.split("-")
    return f"{year}年{int(number)}月"


def rates(f: Figures, minimum: int) -> dict[str, str]:
    """The published rates of one group."""
    return {
        "on_time": rate_text(f.on_time, f.counted, minimum),
        "overdue": rate_text(f.overdue, f.counted + f.open, minimum),
        "immediate": rate_text(f.immediate, f.done, minimum),
        "online": rate_text(f.online, f.channel_known, minimum),
        "satisfied": rate_text(f.satisfied, f.rated, minimum),
    }


def item_line(f: Figures, minimum: int) -> str:
    """近 12 个月：办件 1,234 件，按时办结 98.6%，满意率 99.1% (the rates that can be told)."""
    parts = [f"办件 {count_text(f.received, minimum)} 件"]
    shown = rates(f, minimum)
    if shown["on_time"] != "—":
        parts.append(f"按时办结 {shown['on_time']}")
    if shown["satisfied"] != "—":
        parts.append(f"满意率 {shown['satisfied']}")
    return "近 12 个月：" + "，".join(parts)


def page(p: Performance, catalog: Catalog, link_of: dict[str, str]) -> dict[str, object]:
    """What the statistics page shows from the records."""
    m = p.minimum
    month_bars = [Bar(month_label(month), f.received, count_text(f.received, m)) for month, f in p.months]
    on_time_bars = [
        Bar(month_label(month), f.on_time / f.counted if f.counted >= m else 0.0, rate_text(f.on_time, f.counted, m))
        for month, f in p.months
    ]
    charts = {
        "received": bar_chart(
            "chart-received",
            "每月办件量",
            month_bars,
            max((b.value for b in month_bars), default=1) or 1,
            "stat-months",
        ),
        "on_time": bar_chart("chart-on-time", "每月按时办结率", on_time_bars, 1.0, "stat-months"),
    }
    months = [
        Row(
            month,
            "",
            (
                count_text(f.received, m),
                count_text(f.finished, m),
                rate_text(f.on_time, f.counted, m),
                count_text(f.overdue, m),
                rate_text(f.satisfied, f.rated, m),
            ),
        )
        for month, f in p.months
    ]
    departments = []
    for d in catalog.departments:
        f = p.departments.get(d.id, Figures())
        c = p.complaints.get(d.id)
        departments.append(
            Row(
                d.short_name,
                link_of[d.id],
                (
                    count_text(f.received, m),
                    rate_text(f.on_time, f.counted, m),
                    count_text(f.overdue, m),
                    rate_text(f.online, f.channel_known, m),
                    rate_text(f.satisfied, f.rated, m),
                    count_text(c.received, m) if c else "0",
                ),
            )
        )
    items = {code: f for code, f in p.items.items() if code in {x.code for x in catalog.procedures}}
    by_code = {x.code: x for x in catalog.procedures}
    overdue = sorted((f.overdue, code) for code, f in items.items() if f.overdue >= m)[::-1][:10]
    unhappy = sorted((f.satisfied / f.rated, code) for code, f in items.items() if f.rated >= m)[:10]
    complaints = [
        Row(
            d.short_name,
            link_of[d.id],
            (count_text(c.received, m), count_text(c.closed, m), count_text(c.upheld, m)),
        )
        for d in catalog.departments
        if (c := p.complaints.get(d.id)) is not None and c.received + c.closed
    ]
    return {
        "p": p,
        "site": p.site,
        "shown": rates(p.site, m),
        "count": lambda n: count_text(n, m),
        "charts": charts,
        "months": months,
        "departments": departments,
        "overdue": [
            (by_code[code], count_text(n, m), rate_text(items[code].overdue, items[code].counted + items[code].open, m))
            for n, code in overdue
        ],
        "unhappy": [
            (by_code[code], rate_text(items[code].satisfied, items[code].rated, m), count_text(items[code].rated, m))
            for _, code in unhappy
        ],
        "complaints": complaints,
        "complaints_total": p.complaints_total,
        "excluded": [(EXCLUDED[reason], count_text(n, m)) for reason, n in sorted(p.excluded.items())],
        "ratings": [(name, count_text(n, m)) for name, n in zip(RATINGS, p.site.ratings, strict=True)],
    }


def open_data(p: Performance, catalog: Catalog) -> dict[str, str]:
    """The aggregates as CSV (UTF-8 with BOM, month × item), JSON and its schema; small counts are “<5”."""
    m = p.minimum
    by_code = {x.code: x for x in catalog.procedures}
    names = {d.id: d.name for d in catalog.departments}

    def record(f: Figures) -> dict[str, Json]:
        data: dict[str, Json] = {key: _published(getattr(f, key), m) for _, key in COLUMNS}
        data["on_time_rate"] = rate_value(f.on_time, f.counted, m)
        data["satisfaction_rate"] = rate_value(f.satisfied, f.rated, m)
        return data

    rows: list[Json] = []
    for code, month, f in p.item_months:
        item = by_code.get(code)
        if item is not None:
            rows.append(
                {"month": month, "code": code, "item": item.name, "department": names[item.department], **record(f)}
            )
    data: dict[str, Json] = {
        "version": VERSION,
        "demo": p.demo,
        "start": p.start.isoformat(),
        "end": p.end.isoformat(),
        "minimum": m,
        "site": record(p.site),
        "departments": {d: record(f) for d, f in p.departments.items()},
        "items": {code: record(f) for code, f in p.items.items() if code in by_code},
        "months": rows,
    }
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["月份", "实施编码", "事项名称", "部门", *(title for title, _ in COLUMNS), "按时办结率", "满意率"])
    for row in rows:
        assert isinstance(row, dict)
        counts = [row[key] for _, key in COLUMNS]
        writer.writerow(
            [
                row["month"],
                row["code"],
                row["item"],
                row["department"],
                *counts,
                row["on_time_rate"] or "",
                row["satisfaction_rate"] or "",
            ]
        )
    return {
        PERFORMANCE_CSV: "\ufeff" + out.getvalue(),
        PERFORMANCE_JSON: json.dumps(data, ensure_ascii=False, indent=1) + "\n",
        PERFORMANCE_SCHEMA: json.dumps(schema(), ensure_ascii=False, indent=1) + "\n",
    }


def _published(value: int, minimum: int) -> Json:
    return f"<{minimum}" if 0 < value < minimum else value


def schema() -> dict[str, Any]:
    """JSON Schema of data/performance.json."""
    count = {"oneOf": [{"type": "integer", "minimum": 0}, {"type": "string", "pattern": "^<[0-9]+$"}]}
    rate = {"type": ["number", "null"], "minimum": 0, "maximum": 1}
    properties: dict[str, Any] = {key: {**count, "description": title} for title, key in COLUMNS}
    properties["on_time_rate"] = {**rate, "description": "按时办结率（少于最少件数时为 null）"}
    properties["satisfaction_rate"] = {**rate, "description": "满意率（少于最少件数时为 null）"}
    required = [key for _, key in COLUMNS] + ["on_time_rate", "satisfaction_rate"]
    figures = {"type": "object", "properties": properties, "required": required, "additionalProperties": False}
    text = {"type": "string"}
    row = {
        "type": "object",
        "properties": {
            "month": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
            "code": text,
            "item": text,
            "department": text,
            **properties,
        },
        "required": ["month", "code", "item", "department", *required],
        "additionalProperties": False,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "办件效能统计（近 12 个月，只含汇总数）",
        "type": "object",
        "properties": {
            "version": {"const": VERSION},
            "demo": {"type": "boolean", "description": "true 表示演示数据"},
            "start": {"type": "string", "format": "date"},
            "end": {"type": "string", "format": "date"},
            "minimum": {"type": "integer", "description": "少于这个件数的数字写作 <最少件数>，比率为 null"},
            "site": figures,
            "departments": {"type": "object", "additionalProperties": figures},
            "items": {"type": "object", "additionalProperties": figures},
            "months": {"type": "array", "items": row},
        },
        "required": ["version", "demo", "start", "end", "minimum", "site", "departments", "items", "months"],
        "additionalProperties": False,
    }
