"""Shared helpers for the tests that drive headless Chromium (fixtures ``server`` and ``browser`` are in conftest)."""

from __future__ import annotations

import shutil
from pathlib import Path

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


def search(page, query: str) -> None:  # type: ignore[no-untyped-def]
    """Enter a query as a paste, voice input or a phone's IME does (one input event, no key event) and wait for
    the results; no extra key is pressed, so this is what a person gets."""
    field = page.locator("input.md-search__input")
    field.fill(query)
    results = page.locator(".md-search-result__item")
    for _ in range(60):
        if results.count():  # then as the reader sees them: after the theme's fade-in
            page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
            return
        page.wait_for_timeout(500)
    raise AssertionError(f"搜索没有结果：{page.locator('.md-search-result__meta').text_content()}")


OVERFLOW = """() => {
    const width = document.documentElement.clientWidth;
    const inside = el => el.closest('.bs-chart__scroll, .bs-chart-page__chart, .bs-table-wrap, .bs-print__scroll, pre, .md-typeset__scrollwrap, .bs-stat figure');
    return [...document.querySelectorAll('body *')].filter(el => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && r.right > width + 1 && !inside(el) && getComputedStyle(el).visibility !== 'hidden'
            && !el.closest('.md-sidebar, .md-search, .md-tabs, .md-header');
    }).map(el => el.tagName + '.' + el.className).slice(0, 5);
}"""


def overflowing(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Elements that stick out of the viewport on the right, outside the boxes that scroll on purpose."""
    return page.evaluate(OVERFLOW)  # type: ignore[no-any-return]
