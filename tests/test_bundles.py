"""高效办成一件事: a bundle's page, its one set of materials, its printed forms, search, open data and history.

The checks of bundle files (a missing member, a member twice, an order with a cycle, a link to a material no
member has…) have one fixture each in tests/fixtures/invalid/ (``*.bundle.yml``, test_invalid_fixtures.py).
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from generator.bundles import committed_total, materials
from generator.model import Catalog
from generator.render.pages import PageRenderer
from generator.render.site import bundle_views
from generator.workflow.history import collect

from .browser import new_page, search, shot
from .conftest import ROOT
from .test_changes import Repo
from .test_search_everyday import results

NEWBORN = "bundles/csyjs/"
ID_CARDS = "父母双方居民身份证"
MEMBERS = ("出生医学证明首次签发", "出生登记", "城乡居民基本医疗保险参保登记")


def test_a_material_several_members_need_is_asked_once_and_one_made_for_another_not_at_all(demo: Catalog) -> None:
    bundle = next(b for b in demo.bundles if b.id == "csyjs")
    items = {p.slug: p for p in demo.procedures}
    needed = {n.name: [p.name for p in n.members] for n in materials(bundle, items)}
    assert needed[ID_CARDS] == list(MEMBERS)  # three members ask for it: one line, naming all three
    assert "出生医学证明" not in needed  # the first member makes it for the second
    away = {n.name: [p.name for p in n.members] for n in materials(bundle, items, "waidi")}
    assert "结婚证" not in away and away[ID_CARDS] == [MEMBERS[0], MEMBERS[2]]  # 出生登记 is not done here
    # the members' promises add up along the order (2 + 3 working days; 医保 is 即办 beside 出生登记)
    assert str(committed_total(bundle, items, list(bundle.members))) == "5个工作日"


@pytest.mark.browser
def test_the_bundle_page_on_a_phone(server: str, browser: object) -> None:
    page = new_page(browser, 390, 844)
    page.goto(server + NEWBORN)
    facts = page.locator(".bs-summary")
    for words in (
        "承诺 5个工作日",
        "各事项承诺时限按办理顺序合计 5个工作日",
        "最多跑 1 次",
        "不收费",
        "3 个事项",
        "5 项",
    ):
        assert words in facts.inner_text(), words
    call = facts.get_by_role("link", name=re.compile("咨询电话"))
    assert call.bounding_box()["y"] + call.bounding_box()["height"] <= 844  # the first screen: whom to call
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    cards = page.locator(".bs-for-situation:visible .bs-bundle-material")
    ids = cards.filter(has_text=ID_CARDS)
    needing = f"{MEMBERS[0]}、{MEMBERS[1]}（仅限父母一方为本市户籍的）、{MEMBERS[2]}"  # 出生登记 is not always done
    assert ids.count() == 1 and "所需事项：" + needing in ids.inner_text()  # once, naming all
    assert cards.filter(has_text="结婚证").count() == 1
    shot(page, "bundle-phone")
    page.get_by_role(
        "radio", name="父母均非本市户籍的（户口回户籍地登记）"
    ).check()  # a situation: fewer members and materials
    assert page.locator(".bs-members li", has_text="出生登记").first.is_hidden()
    assert page.locator(".bs-members li:visible").count() == 2
    assert cards.filter(has_text="结婚证").count() == 0
    assert "所需事项：" + "、".join((MEMBERS[0], MEMBERS[2])) in cards.filter(has_text=ID_CARDS).inner_text()
    assert "4 项" in facts.inner_text() and "各事项承诺时限按办理顺序合计 2个工作日" in facts.inner_text()
    assert "situation=waidi" in page.url
    printed = facts.get_by_role("link", name="打印告知单")
    assert printed.count() == 1 and printed.get_attribute("href").endswith("checklist-waidi.html")
    assert page.get_by_text("您的情形不办理：出生登记").is_visible()  # the chart still draws every member
    shot(page, "bundle-phone-situation")
    assert page.external_requests == []
    page.close()


@pytest.mark.browser
def test_the_printed_checklist_of_a_bundle_is_one_a4_page_listing_shared_materials_once(
    server: str, browser: object, tmp_path: Path
) -> None:
    pypdf = pytest.importorskip("pypdf")
    pdfium = pytest.importorskip("pypdfium2")
    zxing = pytest.importorskip("zxingcpp")
    page = new_page(browser)
    page.goto(server + "print/bundles/csyjs/checklist.html")
    out = tmp_path / "checklist.pdf"
    page.pdf(path=str(out), prefer_css_page_size=True)
    page.close()
    reader = pypdf.PdfReader(out)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595.3) < 2 and abs(float(box.height) - 841.9) < 2
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", reader.pages[0].extract_text()))  # ⼀ (radical) → 一
    assert (
        text.count("父母双方居") == 1 and "一次性告知单" in text
    )  # (民 is extracted as the radical ⺠) and "无需您提交：出生医学证明" in text
    image = pdfium.PdfDocument(str(out))[0].render(scale=3).to_pil()
    assert [c.text for c in zxing.read_barcodes(image)] == ["https://banshi.example.gov.cn/bundles/csyjs/"]
    shutil_copy(out, ROOT / "tests/artifacts/bundle-checklist-a4.pdf")


def shutil_copy(source: Path, target: Path) -> None:
    import shutil

    target.parent.mkdir(exist_ok=True)
    shutil.copy(source, target)


def test_the_notice_names_each_member_with_its_department_and_the_lead_window(built_site: Path) -> None:
    notice = (built_site / "print/bundles/csyjs/notice.html").read_text(encoding="utf-8")
    for words in ("滞办反馈告知书", "<strong>出生登记</strong>（示例市公安局）", "受理窗口", "回执", "（盖章）"):
        assert words in notice, words


def test_a_bundle_is_found_by_its_name_its_alias_and_a_members_name(built_site: Path, tmp_path: Path) -> None:
    found = results(built_site, tmp_path, ["新生儿出生", "孩子出生办手续", "出生登记", "开饭店"])
    assert found["新生儿出生"][0] == NEWBORN
    assert found["孩子出生办手续"][0] == NEWBORN
    assert found["出生登记"][0] == "items/gaj/csdj/" and NEWBORN in found["出生登记"][:3]  # the item, then its bundle
    assert found["开饭店"][0] == "bundles/kbcyd/"


@pytest.mark.browser
def test_the_search_box_offers_the_bundle(server: str, browser: object) -> None:
    page = new_page(browser, 390, 844)
    page.goto(server)
    search(page, "上户口")
    first = page.locator(".md-search-result__item").first
    assert "出生登记" in page.locator(".md-search-result").inner_text()
    assert "新生儿出生一件事" in page.locator(".md-search-result").inner_text()
    assert first.is_visible()
    page.close()


def test_open_data_and_json_ld_of_bundles_validate_against_their_schemas(built_site: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((built_site / "data/bundles.schema.json").read_text(encoding="utf-8"))
    collection = json.loads((built_site / "data/bundles.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(collection)
    assert [b["id"] for b in collection["bundles"]] == ["csyjs", "kbcyd"]
    newborn = collection["bundles"][0]
    assert [m["name"] for m in newborn["member_items"]] == list(MEMBERS)
    assert newborn["members_committed_total"] == "5个工作日" and newborn["time_limits"]["committed"]["text"]
    single = json.loads((built_site / "data/bundles/csyjs.json").read_text(encoding="utf-8"))
    file_schema = {**schema, "$ref": "#/$defs/bundle_file"}
    for key in ("required", "properties", "additionalProperties", "type"):
        file_schema.pop(key, None)
    jsonschema.Draft202012Validator(file_schema).validate(single)
    page = (built_site / NEWBORN / "index.html").read_text(encoding="utf-8")
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert found
    jsonschema.Draft202012Validator(GOVERNMENT_SERVICE).validate(json.loads(found.group(1)))
    ld = json.loads(found.group(1))
    assert [m["name"] for m in ld["isRelatedTo"]] == list(MEMBERS)
    csv = (built_site / "data/bundles.csv").read_text(encoding="utf-8-sig")
    assert (
        "新生儿出生一件事,示例市卫生健康委员会,出生医学证明首次签发、出生登记、城乡居民基本医疗保险参保登记,5个工作日"
        in csv
    )


GOVERNMENT_SERVICE = {
    "type": "object",
    "required": ["@context", "@type", "name", "url", "provider", "availableChannel", "isRelatedTo"],
    "properties": {
        "@context": {"const": "https://schema.org"},
        "@type": {"const": "GovernmentService"},
        "name": {"type": "string", "minLength": 1},
        "url": {"type": "string", "pattern": "^https://"},
        "provider": {"type": "object", "required": ["@type", "name"]},
        "availableChannel": {"type": "array", "minItems": 1, "items": {"required": ["@type", "serviceUrl"]}},
        "isRelatedTo": {
            "type": "array",
            "minItems": 2,
            "items": {
                "type": "object",
                "required": ["@type", "name", "url", "provider"],
                "properties": {"@type": {"const": "GovernmentService"}, "url": {"pattern": "/items/"}},
            },
        },
    },
}
"""What a 一件事's JSON-LD must be: a schema.org GovernmentService with its members as related services."""


def test_home_page_and_index_list_the_bundles(built_site: Path) -> None:
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert "高效办成一件事</h2>" in home and "新生儿出生一件事" in home and "3 个事项一次办 · 承诺 5个工作日" in home
    index = (built_site / "bundles/index.html").read_text(encoding="utf-8")
    assert index.count('<li><a href="csyjs/">新生儿出生一件事</a>') == 1 and "开办餐饮店一件事" in index


def test_the_change_report_and_the_page_history_say_what_changed_in_a_bundle(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = Repo(tmp_path)
    repo.edit("bundles/shifan.yml", "  committed: 8个工作日", "  committed: 10个工作日")
    repo.edit("bundles/shifan.yml", "  - item: demo/parallel\n    optional: true\n    after: [demo/minimal]\n", "")
    repo.edit("bundles/shifan.yml", ", demo/parallel]", "]")
    repo.edit("bundles/shifan.yml", "  - item: demo/minimal\n", "  - item: demo/minimal\n  - item: demo/tebie\n")
    repo.edit(
        "bundles/shifan.yml", "members: [demo/jiban, demo/minimal]", "members: [demo/jiban, demo/minimal, demo/tebie]"
    )
    repo.commit("调整一件事", "2026-09-01")
    report = repo.diff(capsys)
    assert "- 新增成员事项“示范特别程序许可”\n" in report
    assert "- 取消成员事项“并联示范许可”\n" in report
    assert "- 承诺办结时限 8 → 10 个工作日（不利）\n" in report
    from generator.load import load

    result = load(repo.procedures, repo.root)
    assert result.catalog is not None, [d.text() for d in result.diagnostics]
    history = collect(repo.procedures)
    (view,) = bundle_views(result.catalog, history)
    renderer = PageRenderer(directory_urls=True)
    renderer.bundle_pages(view, "<svg></svg>")
    page = renderer.take().files["bundles/shifan.md"]
    entries = re.findall(r"<li><time datetime=\"([\d-]+)\">[\d-]+</time>：(.*?)</li>", page)
    assert entries[0][0] == "2026-09-01" and "新增成员事项“示范特别程序许可”" in entries[0][1]
    assert entries[-1] == ("2026-01-05", "首次公布")


def test_members_that_state_a_shared_material_differently_are_each_shown(demo: Catalog, built_site: Path) -> None:
    (newborn,) = [b for b in demo.bundles if b.id == "csyjs"]
    items = {p.slug: p for p in demo.procedures}
    (book,) = [n for n in materials(newborn, items) if n.name == "居民户口簿"]
    assert not book.same and book.disagreements == []  # a condition of its own is no mistake: no warning
    page = (built_site / NEWBORN / "index.html").read_text(encoding="utf-8")
    assert "各事项要求不同：出生登记：必需，原件 1 份" in page  # never one member's 必需 for all of them
    checklist = (built_site / "print/bundles/csyjs/checklist.html").read_text(encoding="utf-8")
    assert "出生登记 必需，原件 1，复印件 0；城乡居民基本医疗保险参保登记 参保人为本市户籍的" in checklist


def test_a_checklist_spares_only_what_a_member_of_its_situation_makes_for_another(built_site: Path) -> None:
    local = (built_site / "print/bundles/csyjs/checklist-bendi.html").read_text(encoding="utf-8")
    assert "以下材料由部门之间传递，无需您提交：出生医学证明。" in local
    elsewhere = (built_site / "print/bundles/csyjs/checklist-waidi.html").read_text(encoding="utf-8")
    assert "部门之间传递" not in elsewhere  # no member of this situation asks for it


def test_no_sum_of_promises_that_leave_something_out(demo: Catalog) -> None:
    from dataclasses import replace

    from generator.contract.values import Duration

    (newborn,) = [b for b in demo.bundles if b.id == "csyjs"]
    items = {p.slug: p for p in demo.procedures}
    registration = items["gaj/csdj"]
    assert registration.time_limits is not None
    noted = Duration.parse("3个工作日（不含公告期）")
    items["gaj/csdj"] = replace(registration, time_limits=replace(registration.time_limits, committed=noted))
    assert committed_total(newborn, items, list(newborn.members)) is None


def test_a_member_refused_at_another_departments_step_is_on_the_bundle_notice(tmp_path: Path) -> None:
    import shutil

    from generator.load import load
    from generator.render.pages import refusals

    shutil.copytree(ROOT / "procedures", tmp_path / "procedures")
    item = tmp_path / "procedures/scjg/qykb.yml"
    text = item.read_text(encoding="utf-8")
    refused = "    does: 办理印章刻制备案，推送刻章企业免费刻制。\n    outcomes:\n"
    refused += (
        "      - when: 符合规定\n        result: fazhao\n      - when: 印章式样不符合规定\n        result: 不予受理\n"
    )
    item.write_text(text.replace("    does: 办理印章刻制备案，推送刻章企业免费刻制。\n    next: fazhao\n", refused))
    result = load(tmp_path / "procedures", tmp_path)
    assert result.catalog is not None, [d.text() for d in result.diagnostics if d.severity == "error"]
    (view,) = [v for v in bundle_views(result.catalog, collect(tmp_path / "procedures")) if v.bundle.id == "kbcyd"]
    opening = next(m for m in view.members if m.procedure.slug == "scjg/qykb")
    assert any(r.reason == "印章式样不符合规定" for r in refusals(opening.view))  # its handler is 公安's position
    renderer = PageRenderer(directory_urls=True)
    renderer.bundle_pages(view, "<svg></svg>")
    assert "印章式样不符合规定" in renderer.take().files["print/bundles/kbcyd/notice.html"]


def test_making_a_member_optional_is_in_the_change_report(demo: Catalog) -> None:
    from dataclasses import replace

    from generator.workflow.changes import compare_bundles

    (newborn,) = [b for b in demo.bundles if b.id == "csyjs"]
    members = tuple(replace(m, optional=m.item == "ybj/cbdj") for m in newborn.members)
    changed = compare_bundles({"csyjs": newborn}, {"csyjs": replace(newborn, members=members)}, {"ybj/cbdj": "医保"})
    assert [c.text for c in changed] == ["成员事项“医保”按需办理 否 → 是"]


def test_a_member_items_page_links_to_its_bundle(built_site: Path) -> None:
    page = (built_site / "items/gaj/csdj/index.html").read_text(encoding="utf-8")
    assert re.search(r'class="bs-in-bundle">[^<]*<a href="\.\./\.\./\.\./bundles/csyjs/">新生儿出生一件事</a>', page)
    alone = (built_site / "items/gaj/sfz-hl/index.html").read_text(encoding="utf-8")
    assert "bs-in-bundle" not in alone
