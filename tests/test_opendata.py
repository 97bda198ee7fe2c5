"""Open data, JSON-LD, the sitemap and the statistics page, checked on the built demo site."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import xml.etree.ElementTree as ET
from fractions import Fraction
from pathlib import Path

import jsonschema
import pytest

from generator.contract.values import iso_duration
from generator.model import Catalog, Duration
from generator.render.stats import statistics

SITE_URL = "https://banshi.example.gov.cn/"


def validator(site: Path, definition: str = "") -> jsonschema.protocols.Validator:
    schema = json.loads((site / "data/procedures.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    if definition:
        schema = {**schema, "$ref": f"#/$defs/{definition}"}
        for key in ("type", "required", "properties", "additionalProperties"):
            schema.pop(key)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def test_collection_validates_against_the_published_schema(built_site: Path) -> None:
    data = json.loads((built_site / "data/procedures.json").read_text(encoding="utf-8"))
    errors = list(validator(built_site).iter_errors(data))
    assert errors == []
    assert data["version"] == "3.0" and data["count"] == len(data["items"]) == 20
    sgxk = next(i for i in data["items"] if i["id"] == "zjj/sgxk")
    assert sgxk["time_limits"]["committed"] == {
        "text": "3个工作日",
        "amount": 3.0,
        "unit": "工作日",
        "lower_bound": False,
        "note": None,
        "iso8601": None,  # 3 working days have no fixed calendar length
    }
    assert sgxk["url"] == SITE_URL + "items/zjj/sgxk/"
    assert sgxk["materials"][0]["form"] == SITE_URL + "forms/zjj/sgxk-sqb.pdf"
    assert (built_site / "forms/zjj/sgxk-sqb.pdf").is_file()


def test_schema_rejects_a_broken_record(built_site: Path) -> None:
    data = json.loads((built_site / "data/procedures.json").read_text(encoding="utf-8"))
    data["items"][0]["visits"] = -1
    del data["items"][1]["code"]
    assert len(list(validator(built_site).iter_errors(data))) == 2


def test_one_json_file_per_item(built_site: Path) -> None:
    files = sorted((built_site / "data/items").rglob("*.json"))
    assert len(files) == 20
    check = validator(built_site, "item_file")
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        assert list(check.iter_errors(data)) == [], path
        assert path.relative_to(built_site / "data/items").with_suffix("").as_posix() == data["item"]["id"]


def test_csv_opens_in_excel_as_utf8(built_site: Path) -> None:
    raw = (built_site / "data/procedures.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 20
    row = next(r for r in rows if r["事项名称"] == "建筑工程施工许可证核发")
    assert row["承诺办结时限"] == "3个工作日" and row["到办事现场次数"] == "0" and row["收费"] == "不收费"
    fees = next(r for r in rows if r["实施部门"] == "示例市自然资源和规划局" and r["收费"] != "不收费")
    assert "：" in fees["收费"]


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("3个工作日", None),
        ("0.5个工作日", None),
        ("30个自然日", "P30D"),
        ("0.5个自然日", "PT12H"),
        ("4小时", "PT4H"),
        ("即办", "PT0S"),
        ("当场办结", "PT0S"),
        ("无", None),
        ("20日", None),
    ],
)
def test_iso_8601_durations_only_for_calendar_time(text: str, iso: str | None) -> None:
    duration = Duration.parse(text)
    assert duration is not None and iso_duration(duration) == iso


def json_ld(page: Path) -> dict:  # type: ignore[type-arg]
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page.read_text(encoding="utf-8"), re.S)
    assert len(found) == 1, page
    return json.loads(found[0])  # type: ignore[no-any-return]


def test_every_item_page_embeds_government_service_json_ld(built_site: Path, demo: Catalog) -> None:
    pages = sorted((built_site / "items").rglob("index.html"))
    assert len(pages) == 20
    for page in pages:
        data = json_ld(page)
        assert data["@context"] == "https://schema.org" and data["@type"] == "GovernmentService"
        assert data["provider"]["@type"] == "GovernmentOrganization" and data["provider"]["name"]
        assert data["areaServed"] == {"@type": "AdministrativeArea", "name": "示例市"}
        assert data["audience"] and all(a["@type"] == "Audience" for a in data["audience"])
        assert data["description"].startswith(data["provider"]["name"] + "办理；")
        for channel in data["availableChannel"]:
            assert channel["@type"] == "ServiceChannel"
            assert channel["serviceUrl"].startswith("https://")
            # an ISO 8601 duration is calendar time: a limit in working days is only in the description
            committed = next(p for p in demo.procedures if p.code == data["identifier"]).time_limits.committed
            if committed.unit == "工作日":
                assert "processingTime" not in channel, channel
            else:
                assert re.fullmatch(r"P(T\d+(\.\d+)?[HS]|\d+D)", channel["processingTime"]), channel
    sgxk = json_ld(built_site / "items/zjj/sgxk/index.html")
    assert [c["name"] for c in sgxk["availableChannel"]] == ["网上办理（全程网办）", "窗口办理"]
    assert sgxk["availableChannel"][1]["serviceUrl"] == SITE_URL + "items/zjj/sgxk/"


def test_json_ld_cannot_close_its_script(demo: Catalog) -> None:
    from generator.render.opendata import OpenData
    from generator.render.view import ItemView

    hostile = dataclasses.replace(demo.procedures[0], name="</script><script>alert(1)</script>")
    text = OpenData(SITE_URL).json_ld(ItemView.of(demo, hostile))
    assert "</script" not in text.lower() and "<" not in text
    assert json.loads(text)["name"] == "</script><script>alert(1)</script>"


def test_sitemap_lists_every_item_page(built_site: Path, demo: Catalog) -> None:
    tree = ET.parse(built_site / "sitemap.xml")
    urls = {e.text for e in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    for p in demo.procedures:
        assert f"{SITE_URL}items/{p.department}/{p.id}/" in urls
    assert SITE_URL + "stats/" in urls


# 效能公开 ---------------------------------------------------------------------


def test_statistics_of_the_demo_content(demo: Catalog) -> None:
    s = statistics(demo)
    assert (s.total, s.immediate, s.one_visit, s.online) == (20, 4, 19, 10)
    assert s.types == ("行政许可", "行政确认", "行政给付", "公共服务")
    counts = {r.department.id: (r.count, r.by_type["行政许可"]) for r in s.departments}
    assert counts == {
        "gaj": (4, 0),
        "mzj": (2, 1),
        "rsj": (3, 0),
        "scjg": (3, 3),
        "sthj": (1, 1),
        "wjw": (1, 0),
        "ybj": (1, 0),
        "zjj": (2, 2),
        "zrzy": (3, 2),
    }
    by_department = {r.department.id: r.compression for r in s.departments}
    assert (
        by_department["scjg"] == (Fraction(1) + Fraction(2, 3) + Fraction(1, 2)) / 3
    )  # 个体户变更 即办; 企业开办 3→1; 食品经营 10→5
    assert by_department["zjj"] == (Fraction(4, 7) + Fraction(1, 2)) / 2
    # two items are 即办 by law, three have no statutory limit (法律未规定), and 身份证换领 counts its statutory
    # 60日 in calendar days and its committed limit in working days: nothing to compress in those six
    assert len(s.ranked) == 14
    assert round(float(s.compression), 4) == 0.6277
    assert [c.procedure.slug for c in s.ranked[:2]] == ["scjg/gtgsh-bg", "zrzy/bdc-scdj"]
    assert s.ranked[-1].ratio == Fraction(1, 2)


def test_statistics_page_shows_charts_with_tables(built_site: Path) -> None:
    page = (built_site / "stats/index.html").read_text(encoding="utf-8")
    charts = re.findall(r'<svg class="bs-barchart[^"]*"[^>]*aria-describedby="([^"]+)"', page)
    # the case records' monthly charts first (both described by the monthly table), then the catalogue's
    assert charts == ["stat-months", "stat-months", "stat-convenience", "stat-departments", "stat-compression"]
    for table in charts:
        assert f'id="{table}"' in page
    assert (
        "<script" not in page.split('<div class="md-content"')[1].split("</article>")[0]
    )  # readable without JavaScript
    assert "全市平均压缩 <strong>62.8%</strong>" in page
    assert re.search(r'即办件</a></th><td class="bs-num">4</td><td class="bs-num">20\.0%</td>', page)
    assert re.search(r'全程网办</a></th><td class="bs-num">10</td><td class="bs-num">50\.0%</td>', page)
    assert re.search(r'最多跑一次</a></th><td class="bs-num">19</td><td class="bs-num">95\.0%</td>', page)
