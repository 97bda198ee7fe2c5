"""What a person sees, in headless Debian Chromium: chart, search, phone width, print view.

Screenshots are kept in tests/artifacts/ for review.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
playwright = pytest.importorskip("playwright.sync_api")

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def server(built_site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium 未安装：请运行 bash .ci/setup")
    with playwright.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


def new_page(browser: object, width: int = 1280, height: int = 900):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": width, "height": height})  # type: ignore[attr-defined]
    external: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith(("http://127.0.0.1", "data:")) else external.append(r.url),
    )
    page.external_requests = external
    return page


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_item_page_shows_the_flowchart(server: str, browser: object) -> None:
    page = new_page(browser)
    page.goto(server + "items/zjj/sgxk/")
    chart = page.locator('svg[role="img"]')
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box is not None and box["height"] > 300 and box["width"] > 200
    assert "并联审批" in chart.text_content()
    assert page.locator("ol.bs-steps > li").count() == 7
    shot(page, "item-desktop")
    assert page.external_requests == []


def test_chart_labels_fit_their_boxes(server: str, browser: object) -> None:
    page = new_page(browser)
    page.goto(server + "items/zrzy/jsgc-ghxk/")
    overflow = page.evaluate(
        """() => [...document.querySelectorAll('svg[role=img] g.node')].flatMap(g => {
            const shape = g.querySelector('path, polygon, ellipse');
            if (!shape) return [];
            const s = shape.getBBox();
            return [...g.querySelectorAll('text')].filter(t => {
                const b = t.getBBox();
                return b.x < s.x - 1 || b.x + b.width > s.x + s.width + 1;
            }).map(t => t.textContent);
        })"""
    )
    assert overflow == []


def search(page, query: str) -> None:  # type: ignore[no-untyped-def]
    """Type a query and wait for results.

    Material's search worker drops a query typed before its index is loaded
    (the result line keeps saying 键入以开始搜索), so keep typing, as a
    person would, until it answers.
    """
    field = page.locator("input.md-search__input")
    field.fill(query)
    results = page.locator(".md-search-result__item")
    for _ in range(60):
        if results.count():
            return
        page.wait_for_timeout(500)
        field.press("End")
        field.press_sequentially(" ")
        field.press("Backspace")
    raise AssertionError(f"搜索没有结果：{page.locator('.md-search-result__meta').text_content()}")


def test_search_for_a_chinese_term_finds_the_item(server: str, browser: object) -> None:
    page = new_page(browser)
    page.goto(server)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    search(page, "规划许可")
    results = page.locator(".md-search-result__item")
    texts = " ".join(results.all_text_contents())
    assert "建设工程规划许可证核发" in texts.replace("\u200b", "")
    shot(page, "search-results")


def test_phone_width_has_no_horizontal_overflow(server: str, browser: object) -> None:
    page = new_page(browser, 390, 844)
    for path in ("items/scjg/qykb/", "items/zrzy/bdc-scdj/", "departments/zrzy/", "guide/", ""):
        page.goto(server + path)
        overflow = page.evaluate(
            """() => {
                const width = document.documentElement.clientWidth;
                const inside = el => el.closest('.bs-chart__scroll, .bs-table-wrap, pre, .md-typeset__scrollwrap');
                return [...document.querySelectorAll('body *')].filter(el => {
                    const r = el.getBoundingClientRect();
                    return r.width > 0 && r.right > width + 1 && !inside(el) && getComputedStyle(el).visibility !== 'hidden'
                        && !el.closest('.md-sidebar, .md-search, .md-tabs, .md-header');
                }).map(el => el.tagName + '.' + el.className).slice(0, 5);
            }"""
        )
        assert overflow == [], (path, overflow)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    page.goto(server + "items/scjg/qykb/")
    shot(page, "item-phone")
    scroll = page.locator(".bs-chart__scroll")
    assert scroll.evaluate("el => el.scrollWidth >= el.clientWidth")


def test_print_view_of_the_checklist_hides_navigation(server: str, browser: object) -> None:
    page = new_page(browser)
    page.goto(server + "print/zrzy/jsgc-ghxk/checklist/")
    page.emulate_media(media="print")
    assert page.locator(".md-header").count() == 0 or not page.locator(".md-header").is_visible()
    assert page.locator(".md-sidebar--primary").count() == 0 or not page.locator(".md-sidebar--primary").is_visible()
    assert not page.locator(".bs-print__actions").is_visible()
    assert page.locator("table.bs-checklist tbody tr").count() == 5
    assert page.locator(".bs-box").first.is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.pdf(path=str(ARTIFACTS / "checklist-a4.pdf"), format="A4")
    shot(page, "checklist-print")
