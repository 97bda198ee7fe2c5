"""For the person at the counter: what a citizen sees on a phone, finds by search, reads in a chart and prints.

Browser checks run the built demo in headless Debian Chromium; the search measure
runs the browser's own search worker under Node over the demo and over a
synthetic 1,000-item site.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.model import Catalog, Procedure
from generator.render.flowchart import flowchart_dot
from generator.render.view import ItemView
from generator.steps import critical_path

from .browser import new_page, search, shot
from .conftest import ROOT, item_of, whole_search_file, whole_search_index

WORKER = ROOT / "site_templates/overrides/assets/javascripts/search-worker.js"
MEASURE = ROOT / "tests/search_measure.js"
STAFF = ["editors/"]
"""Pages for department staff: never a result of a citizen's search."""


# First screen on a phone --------------------------------------------------------------------------------------


FIRST_SCREEN = """() => {
    const header = document.querySelector('.md-header').getBoundingClientRect().bottom;
    const fold = window.innerHeight;
    const inside = el => { const r = el.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && r.top >= header - 1 && r.bottom <= fold + 1; };
    const fact = name => [...document.querySelectorAll('.bs-facts .bs-fact')]
        .find(f => f.querySelector('dt').textContent.trim() === name);
    const call = document.querySelector('.bs-summary a.bs-call[href^="tel:"]');
    return {
        name: inside(document.querySelector('article h1')),
        time: !!fact('办理时限') && inside(fact('办理时限')),
        visits: !!fact('到现场') && inside(fact('到现场')),
        fees: !!fact('收费') && inside(fact('收费')),
        place: !!fact('办理地点') && inside(fact('办理地点')),
        call: !!call && inside(call),
        callHeight: call ? call.getBoundingClientRect().height : 0,
    };
}"""


@pytest.mark.browser
def test_a_phone_shows_what_where_how_long_how_much_and_a_number_to_call_on_the_first_screen(
    server: str, browser: object, demo: Catalog
) -> None:
    page = new_page(browser, 390, 844)
    for p in demo.procedures:
        page.goto(server + f"items/{p.slug}/")
        seen = page.evaluate(FIRST_SCREEN)
        assert seen.pop("callHeight") >= 40, p.slug  # a large button, not a link in the text
        assert all(seen.values()), (p.slug, seen)
    page.goto(server + "items/zrzy/bdc-scdj/")
    shot(page, "item-first-screen-phone")
    page.close()


@pytest.mark.browser
def test_the_item_page_table_of_contents_opens_on_a_phone(server: str, browser: object) -> None:
    page = new_page(browser, 390, 844)
    page.goto(server + "items/scjg/qykb/")
    toc = page.locator("details.bs-toc")
    assert toc.is_visible() and not toc.locator("li").first.is_visible()
    toc.locator("summary").click()
    links = toc.locator("li a")
    assert links.first.is_visible() and links.count() >= 12
    toc.get_by_role("link", name="办理地点和时间").click()
    page.wait_for_timeout(300)
    top = page.evaluate("document.getElementById('place').getBoundingClientRect().top")
    assert 0 <= top < 300  # scrolled to the section
    page.goto(server + "departments/scjg/")
    assert page.locator("details.bs-toc").is_visible()
    page.close()
    desktop = new_page(browser, 1280, 900)
    desktop.goto(server + "items/scjg/qykb/")
    assert not desktop.locator("details.bs-toc").is_visible()  # the theme's own table of contents is there
    assert desktop.locator(".md-sidebar--secondary nav").first.is_visible()
    desktop.close()


@pytest.mark.browser
def test_materials_are_cards_on_a_phone_and_a_table_whose_headers_do_not_break_on_a_desktop(
    server: str, browser: object
) -> None:
    page = new_page(browser, 390, 844)
    page.goto(server + "items/scjg/qykb/")
    assert not page.locator("table.bs-materials").is_visible()
    cards = page.locator(".bs-material-card")
    assert cards.count() == 5 and all(c.is_visible() for c in cards.all())
    first = cards.first.inner_text()
    assert "企业设立登记申请书" in first and "必需" in first and "原件 1 份" in first and "0 份" not in first
    assert re.search(r"下载空白表格（PDF，\d+ KB）", first)
    page.close()
    desktop = new_page(browser, 1280, 900)
    desktop.goto(server + "items/scjg/qykb/")
    heights = desktop.locator("table.bs-materials th").evaluate_all(
        "ths => ths.map(th => th.getBoundingClientRect().height)"
    )
    assert max(heights) < 40  # one line each, not 是/否/必/需
    desktop.close()


def test_fees_and_phones_are_where_people_look(built_site: Path) -> None:
    bdc = (built_site / "items/zrzy/bdc-scdj/index.html").read_text(encoding="utf-8")
    summary = bdc.split('<div class="bs-summary">')[1].split("</dl>")[0]
    assert "不动产登记费（非住宅） 每件 550 元" in summary  # the amount, not "收费（2 项，见下文）"
    for page in [*(built_site / "items").rglob("index.html"), built_site / "complaint/index.html"]:
        text = page.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in text:
            continue
        body = text.split('<div class="md-content"')[1]
        for number in re.findall(r"(?<![\w-])(0000-\d{7,8}|12345)(?![\w-])", re.sub(r"<[^>]+>", " ", body)):
            assert f'href="tel:{number}"' in body, (page, number)
        for email in re.findall(r"[\w.]+@example\.gov\.cn", re.sub(r"<[^>]+>", " ", body)):
            assert f'href="mailto:{email}"' in body, (page, email)
    complaint = (built_site / "complaint/index.html").read_text(encoding="utf-8")
    assert 'href="tel:12345"' in complaint.split('<div class="md-content"')[1].split("</article>")[0]
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert "政务服务便民热线" in home.split('<footer class="md-footer">')[1]


def test_wording_for_immediate_and_online_items(built_site: Path) -> None:
    jhdj = (built_site / "items/mzj/jhdj/index.html").read_text(encoding="utf-8")
    assert "<strong>当场办结</strong>（即办件）" in jhdj
    assert "法定 即办" not in jhdj and "合计 即办" not in jhdj and "各环节当场办理" in jhdj
    sbk = (built_site / "items/rsj/sbk/index.html").read_text(encoding="utf-8")
    assert "领取实体社会保障卡" in sbk.split('<div class="bs-summary">')[1].split("</dl>")[0]  # why a visit
    assert "本页由" not in jhdj and '数据：<a href="../../../data/items/mzj/jhdj.json">开放数据 JSON</a>' in jhdj


# Search -------------------------------------------------------------------------------------------------------


def measure(index: Path, queries: Path | None = None) -> dict[str, object]:
    node = shutil.which("node")
    assert node, "Node.js is needed to measure the search: run bash .ci/setup"
    options = ["--queries", str(queries)] if queries else []
    done = subprocess.run(
        [node, str(MEASURE), str(WORKER), str(index), *options, *STAFF], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def assert_perfect(report: dict[str, object], items: int) -> None:
    assert report["items"] == items
    top3, recall = report["top3"], report["recall"]
    assert isinstance(top3, dict) and isinstance(recall, dict)
    assert top3["queries"] >= items and top3["failures"] == [], top3  # name, aliases, result: top 3, always
    assert recall["queries"] >= items * 10 and recall["failures"] == [], recall  # any part of a name, any material
    assert report["staff"] == []


def test_search_finds_every_demo_item_by_name_alias_result_any_part_and_material(
    built_site: Path, tmp_path: Path
) -> None:
    index = whole_search_file(built_site, tmp_path / "index.json")
    docs = json.loads(index.read_text(encoding="utf-8"))["docs"]
    assert not any(d["location"].startswith(tuple(STAFF)) for d in docs)  # not even indexed
    assert_perfect(measure(index), 20 + 2)  # and the 一件事 by their names


def test_search_measure_fails_when_ranking_is_wrong(tmp_path: Path, built_site: Path) -> None:
    """The measure can fail: an index whose items lost their aliases, materials, everyday words and pinyin misses
    社保卡 and 营业执照."""
    index = whole_search_index(built_site)
    for doc in index["docs"]:
        if "banshi" in doc:
            for names in ("aliases", "materials", "everyday", "pinyin"):
                doc["banshi"][names] = []
    broken = tmp_path / "index.json"
    broken.write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
    report = measure(broken, queries=whole_search_file(built_site, tmp_path / "whole.json"))
    assert report["recall"]["failures"] and report["top3"]["failures"]  # type: ignore[index]
    assert {"query": "社保卡", "item": "items/rsj/sbk/", "rank": -1} in report["top3"]["failures"]  # type: ignore[index]


@pytest.fixture(scope="module")
def synthetic_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from generator.mkdocs.build import build_site
    from generator.speed.progress import Progress

    from .bench.synthetic import make_project

    project = make_project(tmp_path_factory.mktemp("search1000"), 1000)
    import io

    return build_site(project / "mkdocs.yml", progress=Progress(io.StringIO(), interactive=False))


def test_search_on_a_thousand_items_that_share_their_words(synthetic_site: Path, tmp_path: Path) -> None:
    assert_perfect(measure(whole_search_file(synthetic_site, tmp_path / "index.json")), 1000)


@pytest.mark.browser
@pytest.mark.parametrize(
    ("words", "first"),
    [("社保卡", "社会保障卡申领"), ("营业执照", "企业开办"), ("不动产", "国有建设用地"), ("房产证", "国有建设用地")],
)
def test_everyday_words_find_the_service_first(server: str, browser: object, words: str, first: str) -> None:
    page = new_page(browser, 390, 844)
    page.goto(server)
    page.locator(".md-header label[for='__search']").first.click()
    search(page, words)
    best = page.locator(".md-search-result__item").first
    assert first in best.locator("h1").inner_text()
    snippet = best.inner_text()
    assert re.search(r"示例市\S+ · (承诺|当场)", snippet) and "11000000" not in snippet  # 部门 · 时限 · 跑几次
    shot(page, f"search-{words}")
    page.close()


@pytest.mark.browser
def test_the_home_page_search_field_opens_the_results(server: str, browser: object) -> None:
    page = new_page(browser, 390, 844)
    page.goto(server)
    field = page.locator("#bs-home-search")
    assert field.is_visible()
    field.fill("结婚")
    field.press("Enter")
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    assert "内地居民结婚登记" in page.locator(".md-search-result__item").first.inner_text()
    page.close()


# Flowcharts ---------------------------------------------------------------------------------------------------

NODE_TEXT = """() => {
    // Each line's em box (ideographs fill the em: 0.88 above the baseline, 0.12 below), in SVG units.
    const em = t => { const size = parseFloat(t.getAttribute('font-size')); const y = t.y.baseVal[0].value;
        const b = t.getBBox(); return {top: y - 0.88 * size, bottom: y + 0.12 * size, left: b.x, right: b.x + b.width}; };
    const problems = [];
    for (const node of document.querySelectorAll('.bs-chart svg g.node')) {
        const shape = node.querySelector('path, polygon, ellipse').getBBox();
        const texts = [...node.querySelectorAll('text')].map(t => ({t: t.textContent, b: em(t)}));
        for (const {t, b} of texts) {
            if (b.left < shape.x + 1 || b.right > shape.x + shape.width - 1
                || b.top < shape.y + 1 || b.bottom > shape.y + shape.height - 1)
                problems.push('touches its border: ' + t);
        }
        for (let i = 0; i < texts.length; i++)
            for (let j = i + 1; j < texts.length; j++) {
                const a = texts[i].b, c = texts[j].b;
                const gap = Math.max(a.top, c.top) - Math.min(a.bottom, c.bottom);
                const side = Math.min(a.right, c.right) - Math.max(a.left, c.left);
                if (gap < 1.5 && side > 0) problems.push('lines too close: ' + texts[i].t + ' / ' + texts[j].t);
            }
    }
    const box = document.querySelector('.bs-chart__scroll');
    return {problems, clipped: box.scrollWidth > box.clientWidth + 1};
}"""


@pytest.mark.browser
def test_no_chart_text_overprints_or_leaves_its_box_and_no_chart_is_clipped_on_a_desktop(
    server: str, browser: object, demo: Catalog
) -> None:
    page = new_page(browser, 1280, 900)
    for p in demo.procedures:
        if not p.flow:
            continue
        page.goto(server + f"items/{p.slug}/")
        result = page.evaluate(NODE_TEXT)
        assert result == {"problems": [], "clipped": False}, p.slug
        caption = page.locator(".bs-chart figcaption")
        assert caption.evaluate("e => getComputedStyle(e).fontStyle") == "normal"  # no synthetic italic Chinese
        assert page.locator(".bs-chart ul.bs-legend li").count() == 6
    page.close()


@pytest.mark.browser
def test_a_phone_gets_a_scroll_hint_and_a_full_size_chart(server: str, browser: object) -> None:
    page = new_page(browser, 390, 844)
    page.goto(server + "items/scjg/qykb/")
    hint = page.locator(".bs-chart__hint")
    assert hint.is_visible() and "左右滑动" in hint.inner_text()
    page.locator(".bs-chart__hint a", has_text="全屏查看").click()
    page.wait_for_load_state()
    assert page.url.endswith("items/scjg/qykb/chart.html")
    text = "parseFloat(getComputedStyle(document.querySelector('svg text')).fontSize)"
    scale = "document.querySelector('svg').getScreenCTM().a"
    assert page.evaluate(f"{text} * {scale}") < 11  # opens whole, fitted to the screen (pinch to zoom) …
    page.locator('a[href="#actual"]').click()
    assert page.evaluate(f"{text} * {scale}") >= 11  # … and at a readable scale on request
    page.close()


@pytest.mark.browser
def test_chart_text_grows_with_the_large_text_switch(server: str, browser: object) -> None:
    page = new_page(browser, 1280, 900)
    page.goto(server + "items/mzj/jhdj/")
    width = "document.querySelector('.bs-chart svg').getBoundingClientRect().width"
    before = page.evaluate(width)
    page.locator("button.bs-textsize").click()
    assert page.evaluate(width) >= before * 1.2  # the root font grows by 1.25
    page.locator("button.bs-textsize").click()
    page.close()


def test_the_critical_path_never_passes_a_special_step_and_prefers_the_main_line(demo: Catalog) -> None:
    shtt = item_of(demo, "mzj/shtt-cl")
    path, total = critical_path(shtt)
    assert "pingshen" not in path and [shtt.step(s).name for s in path] == ["受理", "审查", "决定", "发证"]
    assert total == 25  # 2 + 15 + 5 + 3: the 10 days of 专家评审 do not count
    for p in demo.procedures:
        assert not any(p.step(s).special or p.step(s).by_applicant for s in critical_path(p)[0]), p.slug
    tie = _flow(
        [
            {"id": "a", "time": "1个工作日", "next": "b", "outcomes": [{"when": "需要核查", "result": "c"}]},
            {"id": "b", "time": "2个工作日", "next": "d"},
            {"id": "c", "time": "2个工作日", "next": "d"},
            {"id": "d", "time": "1个工作日", "end": "办结"},
        ]
    )
    assert critical_path(tie)[0] == ("a", "b", "d")  # as long as the exception branch: the main line wins


def test_two_forks_that_join_at_one_step_get_a_join_bar_each(demo: Catalog) -> None:
    flow = _flow(
        [
            {
                "id": "a",
                "time": "1个工作日",
                "outcomes": [{"when": "甲", "result": "b"}, {"when": "乙", "result": "c"}],
            },
            {"id": "b", "time": "1个工作日", "next": ["b1", "b2"]},
            {"id": "c", "time": "1个工作日", "next": ["c1", "c2"]},
            {"id": "b1", "time": "1个工作日", "next": "z"},
            {"id": "b2", "time": "1个工作日", "next": "z"},
            {"id": "c1", "time": "1个工作日", "next": "z"},
            {"id": "c2", "time": "1个工作日", "next": "z"},
            {"id": "z", "time": "1个工作日", "end": "办结"},
        ]
    )
    dot = flowchart_dot(ItemView.of(demo, flow))
    bars = re.findall(r"^  (j\d+) \[.*汇合", dot, re.M)
    assert len(bars) == 2
    ids = {s.id: f"s{i + 1}" for i, s in enumerate(flow.flow)}
    for fork, branches in (("b", ("b1", "b2")), ("c", ("c1", "c2"))):
        into = {re.search(rf"^  {ids[x]} -> (\w+)", dot, re.M).group(1) for x in branches}  # type: ignore[union-attr]
        assert len(into) == 1 and into <= set(bars), fork  # both branches of a fork meet at their own bar
    assert len(re.findall(rf"^  j\d+ -> {ids['z']} ", dot, re.M)) == 2


def _flow(steps: list[dict[str, object]]) -> Procedure:
    """The demo's 建筑工程施工许可证核发 with other steps, checked and built as the loader does."""
    import yaml

    from generator.read.assemble import build_procedure
    from generator.read.check import check_bytes

    data = yaml.safe_load((ROOT / "procedures/zjj/sgxk.yml").read_text(encoding="utf-8"))
    data["steps"] = [{"name": f"环节{raw['id']}", "position": "chuangkou", **raw} for raw in steps]
    checked, problems = check_bytes(
        yaml.safe_dump(data, allow_unicode=True).encode(), "item", "procedures/zjj/sgxk.yml"
    )
    assert checked.complete, [d.text() for d in problems]
    return build_procedure(checked)


# Chinese everywhere -------------------------------------------------------------------------------------------

ENGLISH = (
    "Not found",
    "Made with",
    "Permanent link",
    "Material for MkDocs",
    "Search",
    "Skip to content",
    "Back to top",
)


def test_no_english_ui_string_in_any_built_page(built_site: Path) -> None:
    for page in built_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        visible = re.sub(r"<(script|style)\b.*?</\1>|<[^>]+>", " ", text, flags=re.S)
        attributes = " ".join(re.findall(r'(?:title|aria-label|placeholder|alt)="([^"]*)"', text))
        for english in ENGLISH:
            assert english not in visible and english not in attributes, (page, english)
        if "<html" in text:
            assert re.search(r'<html lang="zh-CN"', text), page


def test_chinese_404_and_heading_ids(built_site: Path) -> None:
    page = (built_site / "404.html").read_text(encoding="utf-8")
    assert "页面不存在或已调整" in page and 'name="q"' in page and ">首页</a>" in page and "办事指南" in page
    about = (built_site / "about/index.html").read_text(encoding="utf-8")
    ids = re.findall(r'<h2 id="([^"]+)"', about)
    assert ids and all(not re.fullmatch(r"_\d+", i) for i in ids)
    assert "办事流程图制度" in ids  # the heading's own words
    assert 'title="本节链接"' in about
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert "<title>示例市办事指南</title>" in home


def test_typography_of_hand_written_pages(built_site: Path) -> None:
    for name in ("index.html", "complaint/index.html", "about/index.html", "editors/index.html"):
        body = (built_site / name).read_text(encoding="utf-8").split('<article class="md-content__inner')[1]
        body = re.sub(r"<pre.*?</pre>", "", body, flags=re.S)
        for block in re.findall(r"<(p|li)>(.*?)</\1>", body, flags=re.S):  # running text, where soft breaks land
            text = re.sub(r"<[^>]+>", "", block[1])
            assert not re.search(r"[\u4e00-\u9fff。，；：！？）」”][ \t]*\n\s*[\u4e00-\u9fff（「“]", text), (name, text)
    editors = (built_site / "editors/index.html").read_text(encoding="utf-8")
    blocks = [re.sub(r"<[^>]+>", "", b) for b in re.findall(r'<div class="highlight"><pre>.*?</pre>', editors, re.S)]
    assert any("materials:\n  - name:" in code for code in blocks)  # a real, indented block inside a list item
    item = (built_site / "items/zrzy/jsgc-ghxk/index.html").read_text(encoding="utf-8")
    assert "》 第" not in item


def test_meta_descriptions_and_robots(built_site: Path) -> None:
    item = (built_site / "items/zjj/sgxk/index.html").read_text(encoding="utf-8")
    description = re.search(r'<meta name="description" content="([^"]+)"', item)
    assert description and description.group(1).startswith(
        "建筑工程施工许可证核发：示例市住房和城乡建设局办理，承诺 3个工作日"
    )
    for page in ("departments/zjj/index.html", "guide/immediate/index.html", "complaint/index.html"):
        text = (built_site / page).read_text(encoding="utf-8")
        assert re.search(r'<meta name="description" content="[^"]+"', text), page
        assert 'content="示例市各部门办事事项的办事指南：办理流程' not in text, page  # not the site-wide one
    assert (built_site / "robots.txt").read_text(encoding="utf-8") == (
        "User-agent: *\nAllow: /\nSitemap: https://banshi.example.gov.cn/sitemap.xml\n"
    )


# Printed forms ------------------------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("form", ["checklist", "notice"])
def test_printed_forms_are_one_a4_page_in_serif_with_a_qr_code_to_the_item(
    server: str, browser: object, demo: Catalog, tmp_path: Path, form: str
) -> None:
    pypdf = pytest.importorskip("pypdf")
    pdfium = pytest.importorskip("pypdfium2")
    zxing = pytest.importorskip("zxingcpp")
    page = new_page(browser)
    for p in demo.procedures:
        page.goto(server + f"print/{p.slug}/{form}.html")
        out = tmp_path / f"{p.id}-{form}.pdf"
        page.pdf(path=str(out), prefer_css_page_size=True)
        reader = pypdf.PdfReader(out)
        assert len(reader.pages) == 1, (p.slug, form)
        box = reader.pages[0].mediabox
        assert abs(float(box.width) - 595.3) < 2 and abs(float(box.height) - 841.9) < 2, (p.slug, box)
        fonts = {
            str(f.get_object()["/FontDescriptor"]["/FontName"])
            for f in reader.pages[0]["/Resources"]["/Font"].values()
            if "/FontDescriptor" in f.get_object()
        }
        assert any("NotoSerifCJK" in f and f.endswith("Regular") for f in fonts), fonts  # the body, embedded
        assert any("NotoSerifCJK" in f and f.endswith("Bold") for f in fonts), fonts  # the title
        image = pdfium.PdfDocument(str(out))[0].render(scale=3).to_pil()
        codes = [c.text for c in zxing.read_barcodes(image)]
        assert codes == [f"https://banshi.example.gov.cn/items/{p.slug}/"], (p.slug, codes)
        if p.slug == "scjg/qykb":
            shutil.copy(out, ROOT / f"tests/artifacts/{form}-a4.pdf")
    page.close()


def test_forms_have_what_a_clerk_signs(built_site: Path) -> None:
    checklist = (built_site / "print/scjg/qykb/checklist.html").read_text(encoding="utf-8")
    for words in ("办理时间", "网上办理", "申请人签收", "（盖章）", 'class="bs-seal"', "告知人（窗口工作人员）"):
        assert words in checklist, words
    notice = (built_site / "print/scjg/qykb/notice.html").read_text(encoding="utf-8")
    for words in ("法律依据", "回执", "签收人", "（盖章）", "经办人"):
        assert words in notice, words


# Navigation and pages -----------------------------------------------------------------------------------------


def test_the_departments_page_is_a_directory_and_the_guide_links_the_departments(
    built_site: Path, demo: Catalog
) -> None:
    directory = (built_site / "departments/index.html").read_text(encoding="utf-8")
    cards = re.findall(r'<li class="bs-directory__card">(.*?)</li>\n', directory, re.S)
    assert len(cards) == len(demo.departments)
    for d, card in zip(demo.departments, cards, strict=True):
        assert f'<a href="{d.id}/">{d.name}</a>' in card
        assert f'href="tel:{d.phone}"' in card and "投诉电话" in card and "地址" in card
        assert re.search(r">\d+ 个</a>", card)
    guide = (built_site / "guide/index.html").read_text(encoding="utf-8")
    for d in demo.departments:
        assert re.search(rf'<h2 id="[^"]+"><a href="../departments/{d.id}/">{d.name}</a>', guide), d.id


def test_index_pages_define_themselves_once_and_keep_facts_together(built_site: Path) -> None:
    for name in ("immediate", "one-visit", "online", "by-type", "by-topic"):
        page = (built_site / f"guide/{name}/index.html").read_text(encoding="utf-8")
        title = re.search(r"<h1[^>]*>(.*?)</h1>", page).group(1)  # type: ignore[union-attr]
        assert title not in re.findall(r"<h2[^>]*>(.*?)<", page), name  # no H2 repeating the H1
        assert '<p class="bs-definition">' in page
    immediate = (built_site / "guide/immediate/index.html").read_text(encoding="utf-8")
    assert "<span>市民政局</span><span>当场办结（即办件）</span>" in immediate  # the department, in a list across them
    css = (ROOT / "site_templates/overrides/assets/stylesheets/banshi.css").read_text(encoding="utf-8")
    assert ".bs-item-facts > span { white-space: nowrap; }" in css


def test_the_home_page_is_a_front_door(built_site: Path, demo: Catalog) -> None:
    home = (built_site / "index.html").read_text(encoding="utf-8")
    article = home.split('<article class="md-content__inner')[1].split("</article>")[0]
    assert 'id="bs-home-search"' in article and 'name="q"' in article
    popular = re.findall(r'<ul class="bs-tiles bs-tiles--popular">(.*?)</ul>', article, re.S)[0]
    assert re.findall(r"<strong>(.*?)</strong>", popular)[:2] == [
        "社会保障卡申领",
        "企业开办（设立登记、印章刻制、社保登记一次办）",
    ]
    topics = re.findall(r'<ul class="bs-tiles bs-tiles--topics">(.*?)</ul>', article, re.S)[0]
    assert re.findall(r"<strong>(.*?)</strong>", topics) == list(demo.site.topics or ())  # in the site's order
    from dataclasses import replace

    from generator.render.site import _topics

    without = replace(demo, procedures=tuple(p for p in demo.procedures if "生育收养" not in (p.topics or ())))
    assert "生育收养" not in [t["name"] for t in _topics(without, True)]  # a topic without items has no tile
    tabs = home.split('<nav class="md-tabs"')[1].split("</nav>")[0]
    assert "部门编辑指南" not in tabs  # staff pages are in the footer
    assert "部门编辑指南" in home.split('<footer class="md-footer">')[1]


@pytest.mark.browser
def test_statistics_labels_stay_readable_on_a_phone(server: str, browser: object) -> None:
    page = new_page(browser, 390, 844)
    page.goto(server + "stats/")
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('svg.bs-barchart')].filter(s => s.getBoundingClientRect().width > 0)
            .flatMap(s => [...s.querySelectorAll('text')].map(t =>
                parseFloat(getComputedStyle(t).fontSize) * s.getScreenCTM().a))"""
    )
    assert sizes and min(sizes) >= 12
    aligned = page.locator("td.bs-num").evaluate_all("tds => tds.map(td => getComputedStyle(td).textAlign)")
    assert aligned and set(aligned) == {"right"}
    page.close()


def test_chart_labels_follow_line_breaking_rules() -> None:
    from generator.render.flowchart import wrap

    lines = wrap("申请人的筹备活动违反法律规定，或宗旨、业务范围不符合规定", 14)
    assert not any(line[0] in "，。、；：）》" for line in lines[1:])
    assert wrap("甲乙丙丁戊己庚辛壬癸（子丑）", 10)[1].startswith("（")  # an opening bracket moves down
    assert wrap("甲乙丙丁戊己庚辛壬癸，子丑", 10)[0].endswith("，")  # a comma hangs at the end


def test_item_and_department_pages_have_breadcrumbs_and_a_current_tab(built_site: Path) -> None:
    def current_tab(path: str) -> list[str]:
        text = (built_site / path).read_text(encoding="utf-8")
        tabs = text.split('<nav class="md-tabs"')[1].split("</nav>")[0]
        return [t.strip() for t in re.findall(r'md-tabs__item--active">\s*<a[^>]*>\s*([^<]+)', tabs)]

    assert current_tab("items/scjg/qykb/index.html") == ["办事指南"]
    assert current_tab("departments/scjg/index.html") == ["部门与岗位"]
    assert current_tab("index.html") == ["首页"]  # nothing left over from the item pages
    assert current_tab("stats/index.html") == ["效能公开"]
    department = (built_site / "departments/scjg/index.html").read_text(encoding="utf-8")
    crumbs = department.split('<nav class="bs-crumbs" aria-label="当前位置">')[1].split("</nav>")[0]
    assert re.sub(r"<[^>]+>|\s", "", crumbs) == "首页办事指南示例市市场监督管理局"
