"""What a person sees, in headless Debian Chromium: chart, search, phone width, print view.

Screenshots are kept in tests/artifacts/ for review.
"""

from __future__ import annotations

import pytest

from .browser import ARTIFACTS, new_page, overflowing, search, shot

pytestmark = pytest.mark.browser


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
    for path in ("items/scjg/qykb/", "items/zrzy/bdc-scdj/", "departments/zrzy/", "guide/", "", "stats/", "editors/"):
        page.goto(server + path)
        assert overflowing(page) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    page.goto(server + "items/scjg/qykb/")
    shot(page, "item-phone")
    scroll = page.locator(".bs-chart__scroll")
    # the wide chart scrolls inside its own box, which stays within the screen
    assert scroll.evaluate("el => el.scrollWidth > el.clientWidth && el.getBoundingClientRect().right <= 390")


def test_print_view_of_the_checklist_hides_its_buttons(server: str, browser: object) -> None:
    page = new_page(browser)
    page.goto(server + "print/zrzy/jsgc-ghxk/checklist.html")
    assert page.locator(".bs-print__actions").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".bs-print__actions").is_visible()
    assert page.locator("table.bs-checklist tbody tr").count() == 5
    assert page.locator(".bs-box").first.is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.pdf(path=str(ARTIFACTS / "checklist-a4.pdf"), format="A4")
    shot(page, "checklist-print")
