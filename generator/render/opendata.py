"""Open data: every item as JSON (one collection and one file per item), CSV, and schema.org JSON-LD.

The item record is the item's declared fields as published by their specs
(:meth:`~generator.contract.spec.Record.publish`), plus where it is (``id``,
``url``, ``department``, ``updated``); its JSON Schema comes from the same
declarations (:meth:`~generator.contract.spec.Record.publish_schema`), so the
two cannot drift apart.  A key the department did not state is ``null``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence

import orjson

from ..contract.spec import PositionRef, Schema
from ..contract.values import iso_duration
from ..contract.yaml12 import Json
from ..model import BUNDLE, ITEM, Bundle, Catalog, Duration, Online, Procedure
from .bundle import BundleView
from .summary import fee_range, fee_words, limit_range, time_words, visits_words
from .tabular import csv_text
from .urls import Paths, page_url
from .view import ItemView

VERSION = "3.0"
"""Version of the open data format; the major number changes when fields are removed, renamed or reshaped
(3.0: ``code`` and ``time_limits`` may be null, limits carry ``lower_bound``)."""

COLLECTION = "data/procedures.json"
CSV_FILE = "data/procedures.csv"
SCHEMA_FILE = "data/procedures.schema.json"
BUNDLE_COLLECTION = "data/bundles.json"
BUNDLE_CSV = "data/bundles.csv"
BUNDLE_SCHEMA_FILE = "data/bundles.schema.json"


class OpenData:
    """Builds the open data of items and of the whole catalog."""

    def __init__(self, site_url: str, directory_urls: bool = True) -> None:
        self.site_url = site_url.rstrip("/") + "/" if site_url else "/"
        self.directory_urls = directory_urls

    def url(self, path: str) -> str:
        return self.site_url + page_url(path, self.directory_urls)

    def record(self, view: ItemView) -> Json:
        """One item, as published."""
        p = view.procedure
        department = view.department
        where: dict[str, Json] = {
            "id": p.slug,
            "url": self.url(Paths.item(p)),
            "department": {"id": department.id, "name": department.name},
            "updated": view.last_changed or None,
        }
        declared = ITEM.publish(p, _Publisher(self, view))
        assert isinstance(declared, dict)
        return {**where, **declared}

    def item_file(self, p: Procedure, record: Json) -> tuple[str, str]:
        """One item's JSON file."""
        return Paths.data(p), _json({"version": VERSION, "item": record})

    def shared_files(
        self, catalog: Catalog, records: Sequence[str] | None, updated: Callable[[Procedure], str]
    ) -> Iterator[tuple[str, str]]:
        """The collection (of the items' records, compact JSON; None leaves it to the caller, see
        :func:`collection`), its schema and the CSV table."""
        if records is not None:
            yield COLLECTION, "".join(collection(catalog.site.region, records))
        yield SCHEMA_FILE, _json(open_data_schema())
        yield CSV_FILE, self.csv(catalog, updated)

    def csv(self, catalog: Catalog, updated: Callable[[Procedure], str]) -> str:
        """One row per item, UTF-8 with a byte-order mark so that Excel reads it as UTF-8."""
        header = [title for title, _ in CSV_COLUMNS] + ["最近更新", "办事指南网址"]
        rows = ([str(get(p, catalog)) for _, get in CSV_COLUMNS] + [updated(p), self.url(Paths.item(p))]
                for p in catalog.procedures)  # fmt: skip
        return csv_text(header, rows)

    def json_ld(self, view: ItemView) -> str:
        """schema.org GovernmentService for an item page, safe inside a <script> element."""
        p, department = view.procedure, view.department
        processing = _processing_time(p)
        page = self.url(Paths.item(p))
        channels = _channels("窗口办理", page, view.place, view.phone, p.online, processing)
        provider: dict[str, Json] = {"@type": "GovernmentOrganization", "name": department.name}
        for name, value in (
            ("telephone", department.phone),
            ("address", department.address),
            ("url", department.website),
        ):
            if value:
                provider[name] = value
        data: dict[str, Json] = {
            "@context": "https://schema.org",
            "@type": "GovernmentService",
            "name": p.name,
            "url": page,
            "provider": provider,
            "description": f"{department.name}办理；{time_words(p)}；{visits_words(p)}；{fee_words(p)}。",
            "areaServed": {"@type": "AdministrativeArea", "name": department.region or view.site.region},
            "availableChannel": channels,
        }
        if p.code:
            data["identifier"] = p.code
        if p.type:
            data["serviceType"] = p.type
        if p.audience:
            data["audience"] = [{"@type": "Audience", "audienceType": a} for a in p.audience]
        if p.result:
            data["serviceOutput"] = {"@type": "Thing", "name": p.result.name}
        if p.aliases:
            data["alternateName"] = list(p.aliases)
        if p.topics:
            data["category"] = list(p.topics)
        return _script_safe(json.dumps(data, ensure_ascii=False, separators=(",", ":")))

    # 高效办成一件事 ---------------------------------------------------------------------------------------

    def bundle_record(self, view: BundleView) -> Json:
        """One 一件事, as published: its declared keys, where it is, its members' pages, and the sum of the members'
        promises along the order when there is one (``null`` otherwise: never the bundle's own promise)."""
        b = view.bundle
        where: dict[str, Json] = {
            "id": b.id,
            "url": self.url(Paths.bundle(b)),
            "lead_department": {"id": view.lead.id, "name": view.lead.name},
            "updated": view.last_changed or None,
            "member_items": [
                {
                    "item": m.procedure.slug,
                    "name": m.procedure.name,
                    "department": m.department.name,
                    "url": self.url(Paths.item(m.procedure)),
                }
                for m in view.members
            ],
            "members_committed_total": str(view.total) if view.total is not None else None,
        }
        declared = BUNDLE.publish(b, _BundlePublisher(self, b))
        assert isinstance(declared, dict)
        return {**where, **declared}

    def bundle_files(self, views: list[BundleView]) -> Iterator[tuple[str, str]]:
        """Each 一件事's JSON file, the collection, its schema and the CSV table."""
        records = [self.bundle_record(view) for view in views]
        for view, record in zip(views, records, strict=True):
            yield Paths.bundle_data(view.bundle), _json({"version": VERSION, "bundle": record})
        region = views[0].site.region if views else ""
        collection = {"version": VERSION, "schema": "bundles.schema.json", "region": region, "count": len(records)}
        yield BUNDLE_COLLECTION, _json({**collection, "bundles": records})
        yield BUNDLE_SCHEMA_FILE, _json(bundle_schema())
        header = [
            "一件事名称",
            "牵头部门",
            "包含事项",
            "承诺办结时限",
            "各事项承诺时限合计",
            "到办事现场次数",
            "收费",
            "网址",
        ]
        rows = ([view.bundle.name, view.lead.name, "、".join(m.procedure.name for m in view.members),
                 _bundle_limit(view), str(view.total) if view.total is not None else "",
                 _or_not_stated(view.bundle.visits), _bundle_fees(view), self.url(Paths.bundle(view.bundle))]
                for view in views)  # fmt: skip
        yield BUNDLE_CSV, csv_text(header, ([str(cell) for cell in row] for row in rows))

    def bundle_json_ld(self, view: BundleView) -> str:
        """schema.org GovernmentService for a 一件事 page: its members as related services."""
        b, lead = view.bundle, view.lead
        page = self.url(Paths.bundle(b))
        channels = _channels("“一件事”窗口办理", page, view.place, view.phone, b.online, None)
        members: list[Json] = [
            {
                "@type": "GovernmentService",
                "name": m.procedure.name,
                "url": self.url(Paths.item(m.procedure)),
                "provider": {"@type": "GovernmentOrganization", "name": m.department.name},
            }
            for m in view.members
        ]
        data: dict[str, Json] = {
            "@context": "https://schema.org",
            "@type": "GovernmentService",
            "name": b.name,
            "url": page,
            "serviceType": "高效办成一件事",
            "provider": {"@type": "GovernmentOrganization", "name": lead.name},
            "description": b.description or f"{lead.name}牵头，{len(view.members)} 个事项一次办理。",
            "areaServed": {"@type": "AdministrativeArea", "name": lead.region or view.site.region},
            "availableChannel": channels,
            "isRelatedTo": members,
        }
        if b.aliases:
            data["alternateName"] = list(b.aliases)
        return _script_safe(json.dumps(data, ensure_ascii=False, separators=(",", ":")))


def _channels(
    name: str, page: str, place: str | None, phone: str | None, online: Online | None, processing: str | None
) -> list[Json]:
    """The ways to apply (schema.org ServiceChannel): online first when there is an address, then the window."""
    window: dict[str, Json] = {"@type": "ServiceChannel", "name": name, "serviceUrl": page}
    if processing:
        window["processingTime"] = processing
    if place:
        window["serviceLocation"] = {"@type": "Place", "address": place}
    if phone:
        window["servicePhone"] = {"@type": "ContactPoint", "telephone": phone}
    channels: list[Json] = [window]
    if online is not None and online.url:
        web: dict[str, Json] = {
            "@type": "ServiceChannel",
            "name": f"网上办理（{online.level}）",
            "serviceUrl": online.url,
        }
        if processing:
            web["processingTime"] = processing
        channels.insert(0, web)
    return channels


def _bundle_limit(view: BundleView) -> str:
    committed = view.bundle.committed
    return NOT_STATED if committed is None else str(committed)


def _bundle_fees(view: BundleView) -> str:
    fees = view.bundle.fees
    if fees is None:
        return NOT_STATED
    return "；".join(f"{f.item}：{f.standard}" for f in fees) or "不收费"


class _BundlePublisher:
    """Where a 一件事's files are published (its application form is in the lead department's folder)."""

    def __init__(self, data: OpenData, bundle: Bundle) -> None:
        self.data = data
        self.bundle = bundle

    def file_url(self, path: str) -> str:
        return self.data.site_url + Paths.form(self.bundle.lead, path)

    def position(self, ref: PositionRef) -> Json:
        return {"department": ref.department, "position": ref.position, "title": ref.position}


def bundle_schema() -> Schema:
    """The JSON Schema of ``data/bundles.json``; ``$defs.bundle`` describes one 一件事."""
    text: Json = {"type": "string", "minLength": 1}
    declared = BUNDLE.publish_schema()
    properties = declared["properties"]
    assert isinstance(properties, dict)
    member = _object({"item": text, "name": text, "department": text, "url": text})
    bundle = _object(
        {
            "id": {"type": "string", "pattern": "^[a-z][a-z0-9-]*$"},
            "url": text,
            "lead_department": _object({"id": text, "name": text}),
            "updated": {"anyOf": [{"type": "string", "format": "date"}, {"type": "null"}]},
            "member_items": {"type": "array", "items": member},
            "members_committed_total": {"anyOf": [text, {"type": "null"}]},
            **properties,
        }
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "bundles.schema.json",
        "title": "高效办成一件事开放数据",
        "description": (
            "全部“一件事”。单个文件（data/bundles/<id>.json）为 {version, bundle}，bundle 见 $defs.bundle。"
            "未公布的内容为 null；members_committed_total 是各成员事项承诺时限沿办理顺序的合计，不是一件事的承诺。"
        ),
        **_object(
            {
                "version": {"const": VERSION},
                "schema": {"const": "bundles.schema.json"},
                "region": {"type": "string"},
                "count": {"type": "integer", "minimum": 0},
                "bundles": {"type": "array", "items": {"$ref": "#/$defs/bundle"}},
            }
        ),
        "$defs": {
            "bundle": bundle,
            "bundle_file": _object({"version": {"const": VERSION}, "bundle": {"$ref": "#/$defs/bundle"}}),
        },
    }


def _processing_time(p: Procedure) -> str | None:
    """schema.org processingTime (an ISO 8601 duration, so calendar time): stated only for limits in calendar
    days, hours or 当场办结; a limit in working days has no honest calendar length and is in the description."""
    committed = p.committed
    return iso_duration(committed, p.day_kind_of(committed)) if committed else None


class _Publisher:
    """Where an item's files are published, and who its positions are."""

    def __init__(self, data: OpenData, view: ItemView) -> None:
        self.data = data
        self.view = view

    def file_url(self, path: str) -> str:
        return self.data.site_url + Paths.form(self.view.procedure.department, path)

    def position(self, ref: PositionRef) -> Json:
        department = next((d for d in self.view.departments if d.id == ref.department), None)
        position = department.position(ref.position) if department else None
        return {
            "department": ref.department,
            "position": ref.position,
            "title": position.title if position else ref.position,
        }


NOT_STATED = "未公布"


def _fees(p: Procedure, catalog: Catalog) -> str:
    varying = fee_range(p)
    if varying is not None:
        return f"按情形：{varying.text}"
    if p.fees is None:
        return NOT_STATED
    return "；".join(f"{f.item}：{f.standard}" for f in p.fees) or "不收费"


def _or_not_stated(value: object) -> object:
    return NOT_STATED if value is None else value


def _limit(p: Procedure, get: Callable[[Procedure], Duration | None]) -> object:
    """A limit as the CSV states it: the item's, 按情形 with each situation's, or 未公布."""
    varying = limit_range(p, get)
    if varying is not None:
        return f"按情形：{varying.text}"
    return _or_not_stated(get(p.variants[0] if p.variants else p))


CSV_COLUMNS: list[tuple[str, Callable[[Procedure, Catalog], object]]] = [
    ("实施编码", lambda p, c: p.code or ""),
    ("事项名称", lambda p, c: p.name),
    ("实施部门", lambda p, c: c.department(p.department).name),
    ("事项类型", lambda p, c: _or_not_stated(p.type)),
    ("办件类型", lambda p, c: _or_not_stated(p.kind)),
    ("法定办结时限", lambda p, c: _limit(p, lambda v: v.statutory)),
    ("承诺办结时限", lambda p, c: _limit(p, lambda v: v.committed)),
    ("到办事现场次数", lambda p, c: _or_not_stated(p.visits)),
    ("网上办理深度", lambda p, c: p.online.level if p.online else NOT_STATED),
    ("收费", _fees),
    ("申请材料数", lambda p, c: sum(m.to_bring for m in p.materials)),
    ("暂停办理", lambda p, c: p.suspended or ""),
]
"""The CSV summary: one column per fact a reader compares across items; 未公布 where the guide is silent (暂停办理
is empty unless the guide says the item is suspended: its absence is not a statement that it is open)."""


def record_text(record: Json) -> str:
    """An item's record as the collection lists it: compact JSON."""
    return _json(record)[:-1]


def collection(region: Json, records: Sequence[str]) -> Iterator[str]:
    """The collection (:data:`COLLECTION`) in pieces, from the items' records as :func:`record_text` wrote them: the
    same text as one JSON document, without holding it whole (10,000 records are about 150 MB)."""
    head = {"version": VERSION, "schema": "procedures.schema.json", "region": region, "count": len(records)}
    yield _json(head)[:-2] + ',"items":['
    for n, record in enumerate(records):
        yield ("," if n else "") + record
    yield "]}\n"


def _json(data: object) -> str:
    """Compact JSON, one line: orjson (the collection is written again after every edit under ``mkdocs serve``);
    the standard library's encoder for what orjson refuses (a lone surrogate, a non-text key)."""
    try:
        return orjson.dumps(data).decode("utf-8") + "\n"
    except TypeError:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def _script_safe(text: str) -> str:
    """JSON that cannot close its <script> element or open a comment."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _object(properties: dict[str, Json]) -> Schema:
    return {"type": "object", "required": list(properties), "additionalProperties": False, "properties": properties}


def open_data_schema() -> Schema:
    """The JSON Schema of ``data/procedures.json``; ``$defs.item`` describes one item."""
    text: Json = {"type": "string", "minLength": 1}
    declared = ITEM.publish_schema()
    properties = declared["properties"]
    assert isinstance(properties, dict)
    item = _object(
        {
            "id": {"type": "string", "pattern": "^[a-z][a-z0-9-]*/[a-z][a-z0-9-]*$"},
            "url": text,
            "department": _object({"id": text, "name": text}),
            "updated": {"anyOf": [{"type": "string", "format": "date"}, {"type": "null"}]},
            **properties,
        }
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "procedures.schema.json",
        "title": "办事指南开放数据",
        "description": (
            "全部办事事项。单个事项文件（data/items/<部门>/<事项>.json）为 {version, item}，"
            "item 见 $defs.item。部门未公布的内容为 null。"
        ),
        **_object(
            {
                "version": {"const": VERSION},
                "schema": {"const": "procedures.schema.json"},
                "region": text,
                "count": {"type": "integer", "minimum": 0},
                "items": {"type": "array", "items": {"$ref": "#/$defs/item"}},
            }
        ),
        "$defs": {
            "item": item,
            "item_file": _object({"version": {"const": VERSION}, "item": {"$ref": "#/$defs/item"}}),
        },
    }
