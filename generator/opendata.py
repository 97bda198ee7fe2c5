"""Open data: every item as JSON (one collection and one file per item), CSV, and schema.org JSON-LD.

The JSON format is versioned and described by a JSON Schema that is
published beside it (``data/procedures.schema.json``).  Field names follow the
item YAML, so the format is as stable as the departments' contract.
"""

from __future__ import annotations

import csv
import io
import json
import posixpath
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

from .history import History
from .model import Catalog, Duration, Procedure, format_number
from .pages import Paths, page_url

VERSION = "1.0"
"""Version of the open data format; the major number changes only when fields are removed or renamed."""

COLLECTION = "data/procedures.json"
CSV_FILE = "data/procedures.csv"
SCHEMA_FILE = "data/procedures.schema.json"


def item_data(p: Procedure) -> str:
    return f"data/items/{p.department}/{p.id}.json"


def _duration(limit: Duration) -> dict[str, Any]:
    return {"text": str(limit), "amount": float(limit.amount), "unit": limit.unit, "iso8601": iso_duration(limit)}


def iso_duration(limit: Duration) -> str:
    """An ISO 8601 duration; working days count as days, and parts of a day as 8-hour working hours."""
    if limit.unit == "即办":
        return "PT0S"
    if limit.unit == "小时":
        return f"PT{format_number(limit.amount)}H"
    if limit.amount.denominator == 1:
        return f"P{limit.amount.numerator}D"
    hours = limit.amount * (8 if limit.unit == "工作日" else 24)
    return f"PT{format_number(Fraction(hours))}H"


class OpenData:
    """Builds the open data files of one catalog."""

    def __init__(self, catalog: Catalog, site_url: str, history: History, directory_urls: bool = True) -> None:
        self.catalog = catalog
        self.site_url = site_url.rstrip("/") + "/" if site_url else "/"
        self.history = history
        self.directory_urls = directory_urls

    def url(self, path: str) -> str:
        return self.site_url + page_url(path, self.directory_urls)

    def record(self, p: Procedure) -> dict[str, Any]:
        """One item, as published."""
        department = self.catalog.department(p.department)
        return {
            "id": p.slug,
            "code": p.code,
            "name": p.name,
            "department": {"id": department.id, "name": department.name},
            "type": p.type,
            "kind": p.kind,
            "audience": list(p.audience),
            "basis": [{"law": b.law, "article": b.article, "url": b.url or None} for b in p.basis],
            "conditions": list(p.conditions),
            "materials": [
                {
                    "name": m.name,
                    "required": m.required is True,
                    "condition": m.required if isinstance(m.required, str) else None,
                    "original": m.original,
                    "copies": m.copies,
                    "source": m.source or None,
                    "form": self.site_url + Paths.form(p.department, m.form) if m.form else None,
                }
                for m in p.materials
            ],
            "time_limits": {
                "statutory": _duration(p.time_limits.statutory),
                "committed": _duration(p.time_limits.committed),
            },
            "fees": [{"item": f.item, "standard": f.standard, "basis": f.basis} for f in p.fees],
            "visits": p.visits,
            "online": {"level": p.online.level, "url": p.online.url or None},
            "place": p.place,
            "hours": p.hours,
            "consult": p.consult,
            "result": p.result,
            "steps": [
                {
                    "name": s.name,
                    "position": self.catalog.handler(p, s) or None,
                    "time": str(s.time),
                    "special": s.special,
                }
                for s in p.steps
            ],
            "updated": self.history.last_changed.get(p.code) or None,
            "url": self.url(Paths.item(p)),
        }

    def files(self) -> Iterator[tuple[str, str]]:
        """(path, text) of every open data file."""
        records = [self.record(p) for p in self.catalog.procedures]
        for p, record in zip(self.catalog.procedures, records, strict=True):
            yield self.item_file(p, record)
        yield from self.shared_files(records)

    def item_file(self, p: Procedure, record: dict[str, Any]) -> tuple[str, str]:
        """One item's JSON file."""
        return item_data(p), _json({"version": VERSION, "item": record})

    def shared_files(self, records: list[dict[str, Any]]) -> Iterator[tuple[str, str]]:
        """The collection, its schema and the CSV table, from every item's record."""
        collection = {
            "version": VERSION,
            "schema": posixpath.basename(SCHEMA_FILE),
            "region": self.catalog.site.region,
            "count": len(records),
            "items": records,
        }
        yield COLLECTION, _json(collection)
        yield SCHEMA_FILE, _json(open_data_schema())
        yield CSV_FILE, self.csv(records)

    def csv(self, records: list[dict[str, Any]]) -> str:
        """One row per item, UTF-8 with a byte-order mark so that Excel reads it as UTF-8."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([title for title, _ in CSV_COLUMNS])
        for record in records:
            writer.writerow([_cell(get(record)) for _, get in CSV_COLUMNS])
        return "\ufeff" + out.getvalue()

    def json_ld(self, p: Procedure) -> str:
        """schema.org GovernmentService for an item page, safe inside a <script> element."""
        department = self.catalog.department(p.department)
        processing = iso_duration(p.time_limits.committed)
        page = self.url(Paths.item(p))
        channels: list[dict[str, Any]] = [
            {
                "@type": "ServiceChannel",
                "name": "窗口办理",
                "serviceUrl": page,
                "processingTime": processing,
                "serviceLocation": {"@type": "Place", "address": p.place},
                "servicePhone": {"@type": "ContactPoint", "telephone": department.phone},
            }
        ]
        if p.online.url:
            channels.insert(
                0,
                {
                    "@type": "ServiceChannel",
                    "name": f"网上办理（{p.online.level}）",
                    "serviceUrl": p.online.url,
                    "processingTime": processing,
                },
            )
        data = {
            "@context": "https://schema.org",
            "@type": "GovernmentService",
            "name": p.name,
            "identifier": p.code,
            "serviceType": p.type,
            "url": page,
            "provider": {
                "@type": "GovernmentOrganization",
                "name": department.name,
                "telephone": department.phone,
                "address": department.address,
                **({"url": department.website} if department.website else {}),
            },
            "areaServed": {"@type": "AdministrativeArea", "name": self.catalog.site.region},
            "audience": [{"@type": "Audience", "audienceType": a} for a in p.audience],
            "availableChannel": channels,
            "serviceOutput": {"@type": "Thing", "name": p.result},
        }
        return _script_safe(json.dumps(data, ensure_ascii=False, separators=(",", ":")))


CSV_COLUMNS: list[tuple[str, Any]] = [
    ("实施编码", lambda r: r["code"]),
    ("事项名称", lambda r: r["name"]),
    ("实施部门", lambda r: r["department"]["name"]),
    ("事项类型", lambda r: r["type"]),
    ("办件类型", lambda r: r["kind"]),
    ("法定办结时限", lambda r: r["time_limits"]["statutory"]["text"]),
    ("承诺办结时限", lambda r: r["time_limits"]["committed"]["text"]),
    ("到办事现场次数", lambda r: r["visits"]),
    ("网上办理深度", lambda r: r["online"]["level"]),
    ("收费", lambda r: "；".join(f"{f['item']}：{f['standard']}" for f in r["fees"]) or "不收费"),
    ("申请材料数", lambda r: len(r["materials"])),
    ("最近更新", lambda r: r["updated"] or ""),
    ("办事指南网址", lambda r: r["url"]),
]


def _cell(value: object) -> str:
    """A CSV cell that spreadsheet programs will not run as a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _json(data: object) -> str:
    """Compact JSON: the C encoder (indentation would fall back to the pure-Python one), one line."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def _script_safe(text: str) -> str:
    """JSON that cannot close its <script> element or open a comment."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _text(nullable: bool = False) -> dict[str, Any]:
    return {"type": ["string", "null"]} if nullable else {"type": "string", "minLength": 1}


def _limit_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["text", "amount", "unit", "iso8601"],
        "additionalProperties": False,
        "properties": {
            "text": _text(),
            "amount": {"type": "number", "minimum": 0},
            "unit": {"enum": ["即办", "工作日", "自然日", "小时"]},
            "iso8601": {"type": "string", "pattern": r"^P(T?\d+(\.\d+)?[DHS]|\d+D)$"},
        },
    }


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": list(properties), "additionalProperties": False, "properties": properties}


def open_data_schema() -> dict[str, Any]:
    """The JSON Schema of ``data/procedures.json``; ``$defs.item`` describes one item."""
    item = _object(
        {
            "id": {"type": "string", "pattern": "^[a-z0-9-]+/[a-z0-9-]+$"},
            "code": _text(),
            "name": _text(),
            "department": _object({"id": _text(), "name": _text()}),
            "type": _text(),
            "kind": {"enum": ["即办件", "承诺件"]},
            "audience": {"type": "array", "items": _text(), "minItems": 1},
            "basis": {"type": "array", "items": _object({"law": _text(), "article": _text(), "url": _text(True)})},
            "conditions": {"type": "array", "items": _text()},
            "materials": {
                "type": "array",
                "items": _object(
                    {
                        "name": _text(),
                        "required": {"type": "boolean"},
                        "condition": _text(True),
                        "original": {"type": "integer", "minimum": 0},
                        "copies": {"type": "integer", "minimum": 0},
                        "source": _text(True),
                        "form": _text(True),
                    }
                ),
            },
            "time_limits": _object({"statutory": _limit_schema(), "committed": _limit_schema()}),
            "fees": {"type": "array", "items": _object({"item": _text(), "standard": _text(), "basis": _text()})},
            "visits": {"type": "integer", "minimum": 0},
            "online": _object({"level": {"enum": ["全程网办", "部分网办", "不支持"]}, "url": _text(True)}),
            "place": _text(),
            "hours": _text(),
            "consult": _text(),
            "result": _text(),
            "steps": {
                "type": "array",
                "minItems": 1,
                "items": _object(
                    {"name": _text(), "position": _text(True), "time": _text(), "special": {"type": "boolean"}}
                ),
            },
            "updated": {"type": ["string", "null"], "format": "date"},
            "url": _text(),
        }
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "procedures.schema.json",
        "title": "办事指南开放数据",
        "description": (
            "全部办事事项。单个事项文件（data/items/<部门>/<事项>.json）为 {version, item}，item 见 $defs.item。"
        ),
        **_object(
            {
                "version": {"const": VERSION},
                "schema": {"const": "procedures.schema.json"},
                "region": _text(),
                "count": {"type": "integer", "minimum": 0},
                "items": {"type": "array", "items": {"$ref": "#/$defs/item"}},
            }
        ),
        "$defs": {
            "item": item,
            "item_file": _object({"version": {"const": VERSION}, "item": {"$ref": "#/$defs/item"}}),
        },
    }
