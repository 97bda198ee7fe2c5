"""The person at the counter, round two: a material is either required or not submitted, on the web and on paper;
a wide flowchart opens on its main path on a phone, and fits the screen on its own page."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from urllib.parse import quote, unquote

import pytest

from generator.model import Catalog
from generator.render.view import ItemView

from .browser import new_page, shot
from .conftest import item_of, item_page


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
def test_materials_not_to_bring_are_a_group_of_their_own(server: str, browser: object, width: int) -> None:
    page = new_page(browser, width, 900)
    page.goto(server + "items/gaj/sfz-hl/")
    if width < 720:
        bring = page.locator("ol.bs-material-cards > li")
        spared = page.locator("ul.bs-material-cards--spared > li")
        assert page.locator(".bs-material-cards__spared").inner_text() == "以下无需您提交："
    else:
        assert (
            page.locator(".bs-material-card").count() == 3 and not page.locator(".bs-material-card").first.is_visible()
        )
        bring = page.locator("table.bs-materials tbody:not(.bs-materials__spared) tr")
        spared = page.locator("table.bs-materials tbody.bs-materials__spared tr:has(td)")
        assert "以下无需您提交" in page.locator("tbody.bs-materials__spared th").inner_text()
    assert bring.count() == 1 and spared.count() == 2
    for index in range(spared.count()):
        text = spared.nth(index).inner_text()
        assert "必需" not in text and "无需提交" in text  # never both
    for index in range(bring.count()):
        assert "无需提交" not in bring.nth(index).inner_text()
    count = page.locator(".bs-facts a[href='#materials'] strong").inner_text()
    assert count == f"{bring.count()} 项"  # the summary counts what the applicant brings
    shot(page, f"materials-groups-{width}")


def test_the_printed_checklist_gives_no_checkbox_to_a_material_not_to_bring(built_site: Path) -> None:
    form = (built_site / "print/gaj/sfz-hl/checklist.html").read_text(encoding="utf-8")
    table = form[form.index('<table class="bs-checklist">') : form.index("</table>", form.index("bs-checklist"))]
    assert table.count('class="bs-box"') == 1 and "原居民身份证" in table
    assert "居民户口簿" not in table and "近期彩色照片" not in table
    spared = re.search(r'<p class="bs-print__spared">(.*?)</p>', form, re.S)
    assert spared and "居民户口簿（免提交" in spared.group(1) and "近期彩色照片（部门内部生成" in spared.group(1)


VISIBLE_PART = """scroller => {
    const box = scroller.getBoundingClientRect();
    const start = scroller.querySelector('.bs-chart-start').getBoundingClientRect();
    return {inside: start.left >= box.left && start.right <= box.right, wide: scroller.scrollWidth > box.width,
            scrolled: scroller.scrollLeft};
}"""


@pytest.mark.browser
@pytest.mark.parametrize("large", [False, True])
def test_a_wide_flowchart_starts_on_its_main_path_on_a_phone(server: str, browser: object, large: bool) -> None:
    page = new_page(browser, 390, 844)
    if large:
        page.add_init_script("localStorage.setItem('bs-large-text', '1')")
    page.goto(server + "items/scjg/qykb/")  # 企业开办: four departments' lanes, far wider than a phone
    scroller = page.locator(".bs-chart__scroll")
    seen = scroller.evaluate(VISIBLE_PART)
    assert seen["wide"] and seen["scrolled"] > 0 and seen["inside"], seen  # 申请, not the 补正 corner
    hint = page.locator(".bs-chart__hint")
    assert hint.is_visible() and hint.locator('a[href="#steps"]').inner_text() == "办理步骤"  # the text comes first
    shot(page, "chart-main-path-phone" + ("-large" if large else ""))


@pytest.mark.browser
def test_the_full_screen_chart_fits_the_phone_and_opens_at_natural_size_on_request(
    server: str, browser: object
) -> None:
    page = new_page(browser, 390, 844)
    page.goto(server + "items/scjg/qykb/chart.html")
    width = lambda: page.locator(".bs-chart-page__chart svg").bounding_box()["width"]  # noqa: E731
    assert width() <= 390 - 2 * 16  # the whole chart inside the screen, pinch to zoom
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator('a[href="#actual"]').click()
    assert width() > 700  # natural size, scrolling sideways inside its box from the main path
    assert page.locator(".bs-chart-page__chart").evaluate(VISIBLE_PART)["inside"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator('a[href="#fit"]').click()
    assert width() <= 390 - 2 * 16


@pytest.mark.browser
@pytest.mark.parametrize("path", ["departments/gaj/", "guide/", "editors/", "stats/"])
def test_long_pages_have_a_table_of_contents_on_a_phone(server: str, browser: object, path: str) -> None:
    page = new_page(browser, 390, 844)
    page.goto(server + path)
    toc = page.locator("details.bs-toc")
    assert toc.count() == 1 and toc.is_visible()
    toc.locator("summary").click()
    links = toc.locator("li a")
    assert links.count() >= 3
    last = links.last
    target = last.get_attribute("href")
    last.click()
    assert unquote(page.url).endswith(target) and page.locator(f"[id='{target[1:]}']").is_visible()
    desktop = new_page(browser, 1280, 900)
    desktop.goto(server + path)
    assert not desktop.locator("details.bs-toc").is_visible()  # the theme's own column is there
    page.close()
    desktop.close()


BEST_PRACTICE = """rules => axe.run(document, {runOnly: {type: 'rule', values: rules}})
    .then(r => r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', ')))"""


@pytest.mark.browser
@pytest.mark.parametrize("path", ["", "404.html", "print/zjj/sgxk/checklist.html", "print/sthj/hpb/checklist.html"])
def test_landmarks_are_named_and_tables_reachable_by_keyboard_on_a_phone(
    server: str, browser: object, path: str
) -> None:
    from .test_accessibility import AXE

    page = new_page(browser, 390, 844)
    page.goto(server + path)
    page.add_script_tag(path=str(AXE))
    rules = ["landmark-unique", "scrollable-region-focusable", "td-headers-attr", "th-has-data-cells"]
    assert page.evaluate(BEST_PRACTICE, rules) == []
    if path.startswith("print/"):  # the header table: each value under its own label, not under the row's first
        cell = page.locator("td[headers='bs-meta-fee']")
        assert cell.count() == 1 and page.locator("#bs-meta-fee").inner_text() == "收费"
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")  # back link, print button, then the materials table's scrolling box
        assert page.evaluate("document.activeElement.className") == "bs-print__scroll"
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("large", [False, True])
def test_the_statistics_tables_are_cards_on_a_phone(server: str, browser: object, large: bool) -> None:
    page = new_page(browser, 390, 844)
    if large:
        page.add_init_script("localStorage.setItem('bs-large-text', '1')")
    page.goto(server + "stats/")
    for table in ("stat-departments", "stat-cases-departments"):
        names = page.locator(f"#{table} tbody th")
        assert names.count() >= 5
        for index in range(names.count()):  # a department's name on one line, not two characters per line
            box = names.nth(index).bounding_box()
            assert box["width"] > 300 and box["height"] < 50, (table, index, box)
        cells = page.locator(f"#{table} tbody tr").first.locator("td")
        label = cells.first.evaluate("td => getComputedStyle(td, '::before').content")
        assert label.strip('"') == cells.first.get_attribute("data-label")  # each number says what it counts
    shot(page, "stats-cards-phone" + ("-large" if large else ""))
    page.close()


def test_a_post_shows_its_window_and_staff_number_where_the_department_publishes_them(built_site: Path) -> None:
    directory = (built_site / "departments/gaj/index.html").read_text(encoding="utf-8")
    assert "户政窗口民警<br><small>窗口：F01—F03</small><br><small>工号：010231、010245</small>" in directory
    assert "派出所审核民警</td>" in directory  # a post without them says nothing more
    steps = (built_site / "items/gaj/jzz/index.html").read_text(encoding="utf-8")
    assert "办理岗位：户政窗口民警（窗口 F01—F03，工号 010231、010245）" in steps


def test_the_portal_entries_map_and_reply_time_appear_only_where_the_site_states_them(
    built_site: Path, demo: Catalog
) -> None:
    page = (built_site / "items/gaj/jzz/index.html").read_text(encoding="utf-8")
    assert '<a href="https://zwfw.example.gov.cn/jindu" rel="noopener nofollow">办件进度查询</a>' in page
    assert '<a href="https://zwfw.example.gov.cn/haochaping" rel="noopener nofollow">评价服务（好差评）</a>' in page
    assert "<dt>投诉中心答复时限</dt><dd>受理后 5个工作日内答复</dd>" in page
    assert "地图导航" not in page  # the demo site configures no map service (an intranet has none)
    complaint = (built_site / "complaint/index.html").read_text(encoding="utf-8")
    assert "<dt>答复时限</dt><dd>受理后 5个工作日内答复</dd>" in complaint
    p = item_of(demo, "gaj/jzz")
    place = ItemView.of(demo, p).place
    mapped = dataclasses.replace(demo, site=dataclasses.replace(demo.site, map_url="https://map.example.gov.cn/s?q="))
    assert f'href="https://map.example.gov.cn/s?q={quote(place, safe="")}" rel="noopener nofollow">地图导航</a>' in (
        item_page(mapped, p)
    )
    silent = dataclasses.replace(
        demo, site=dataclasses.replace(demo.site, rating_url=None, progress_url=None, complaint_reply=None)
    )
    quiet = item_page(silent, p)
    assert "好差评" not in quiet and "办件进度查询" not in quiet and "答复时限" not in quiet
    county = dataclasses.replace(demo.department("gaj"), region="另一县")  # not the site's to query or rate
    elsewhere = dataclasses.replace(demo, departments=tuple(county if d.id == "gaj" else d for d in demo.departments))
    assert "好差评" not in item_page(elsewhere, p) and "答复时限" not in item_page(elsewhere, p)
