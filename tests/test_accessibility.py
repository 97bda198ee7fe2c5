"""Accessibility (无障碍, GB/T 37668 / WCAG 2.1 AA) in headless Chromium, and the deadline calculator as a person uses it.

axe-core comes from npm (``tests/package.json``, installed by ``bash .ci/setup``)
and runs inside the page; a test fails when axe did not run.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.model import Catalog

from .browser import new_page, overflowing, search, shot
from .conftest import ROOT

pytestmark = pytest.mark.browser

AXE = ROOT / "tests/node_modules/axe-core/axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

PAGE_TYPES = {
    "home": "",
    "item": "items/zjj/sgxk/",
    "item-with-fees": "items/zrzy/bdc-scdj/",
    "department": "departments/zjj/",
    "index": "guide/",
    "index-by-type": "guide/by-type/",
    "statistics": "stats/",
    "checklist": "print/zjj/sgxk/checklist.html",
    "notice": "print/zjj/sgxk/notice.html",
    "editor-guide": "editors/",
    "departments-directory": "departments/",
    "index-by-topic": "guide/by-topic/",
    "complaint": "complaint/",
    "about": "about/",
    "not-found": "404.html",
    "full-size-chart": "items/scjg/qykb/chart.html",
}


def axe(page, checks: int = 10) -> list[str]:  # type: ignore[no-untyped-def]
    """Serious and critical violations on the page, as readable lines; fails when axe did not run."""
    assert AXE.is_file(), "axe-core is missing: run `npm ci --prefix tests` (bash .ci/setup does)"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    assert result["testEngine"]["name"] == "axe-core", "axe did not run"
    assert len(result["passes"]) >= checks, "axe checked almost nothing"
    return [
        f"{v['impact']} {v['id']}: {v['help']} {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("path", PAGE_TYPES.values(), ids=PAGE_TYPES.keys())
def test_no_serious_or_critical_axe_violations(server: str, browser: object, path: str) -> None:
    page = new_page(browser)
    page.goto(server + path)
    assert axe(page) == []
    page.close()


@pytest.mark.parametrize("path", ["", "items/scjg/qykb/", "items/zrzy/bdc-scdj/", "departments/", "stats/"])
def test_no_serious_or_critical_axe_violations_on_a_phone(server: str, browser: object, path: str) -> None:
    page = new_page(browser, 390, 844)  # material cards, the 本页目录, the call button, the chart hint
    page.goto(server + path)
    page.locator("details.bs-toc summary").first.click() if path.startswith("items/") else None
    assert axe(page) == []
    page.close()


def test_no_serious_or_critical_axe_violations_on_the_page_at_an_earlier_address(
    browser: object, built_site: Path, demo: Catalog, tmp_path: Path
) -> None:
    """The redirect page of a renamed item, as a reader sees it for a moment (its refresh left out here)."""
    from generator.render.pages import PageRenderer
    from generator.render.site import render_redirects
    from generator.versions import History

    p = next(p for p in demo.procedures if p.slug == "scjg/qykb")
    history = History()
    history.addresses[p.code] = ["scjg/kaiban", p.slug]
    files = render_redirects(demo, history, PageRenderer(site_url="https://banshi.example.gov.cn/"))
    assert list(files) == ["items/scjg/kaiban/index.html"]
    html = files["items/scjg/kaiban/index.html"].replace('<meta http-equiv="refresh"', '<meta name="was-refresh"')
    shutil.copytree(built_site / "assets", tmp_path / "assets")
    (tmp_path / "items/scjg/kaiban").mkdir(parents=True)
    (tmp_path / "items/scjg/kaiban/index.html").write_text(html, encoding="utf-8")
    page = new_page(browser)
    page.goto((tmp_path / "items/scjg/kaiban/index.html").as_uri())
    assert "页面已迁移" in page.inner_text("h1")
    assert axe(page, checks=8) == []  # a heading, a sentence and a link: fewer rules apply
    page.close()


def test_no_serious_or_critical_axe_violations_in_search_results(server: str, browser: object) -> None:
    page = new_page(browser)
    page.goto(server)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    search(page, "许可")
    assert axe(page) == []
    page.close()


def test_axe_does_report_a_violation(server: str, browser: object) -> None:
    page = new_page(browser)
    page.goto(server + "items/zjj/sgxk/")
    page.evaluate("document.querySelector('.bs-deadline input').removeAttribute('id')")  # unlabel the date field
    page.evaluate("document.querySelector('.bs-deadline').hidden = false")
    assert any("label" in line for line in axe(page))
    page.close()


def test_whole_item_page_works_with_the_keyboard(server: str, browser: object) -> None:
    page = new_page(browser)
    page.goto(server + "items/zjj/sgxk/")
    reached: list[str] = []
    for _ in range(300):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
                const el = document.activeElement;
                const style = getComputedStyle(el);
                const visible = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
                return [el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : '')
                        + (el.getAttribute('href') ? '[' + el.getAttribute('href') + ']' : ''), visible];
            }"""
        )
        if focused[0] == "body":  # past the last control: focus left the page
            break
        reached.append(focused[0])
        assert focused[1], f"焦点不可见：{focused[0]}"
    joined = " ".join(reached)
    for target in (
        "button.md-header__button",
        "input.",
        "div.bs-chart__scroll",
        "notice.html",
        "checklist.html",
        "div.bs-table-wrap",
    ):
        assert target in joined, (target, reached)
    # The date field takes typed dates, and the result is announced.
    page.focus(".bs-deadline input")
    page.keyboard.type("09302026")
    assert "2026 年 10 月 10 日" in page.locator(".bs-deadline__result").inner_text()
    # The chart region scrolls with the arrow keys.
    page.set_viewport_size({"width": 390, "height": 844})
    region = page.locator(".bs-chart__scroll")
    region.focus()
    before = region.evaluate("el => el.scrollLeft")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "([el, before]) => el.scrollLeft > before", arg=[region.element_handle(), before], timeout=5000
    )


def test_layout_holds_at_200_percent_zoom(server: str, browser: object) -> None:
    # 200% zoom of a 1280 px window leaves a 640 CSS px wide viewport.
    page = browser.new_page(viewport={"width": 640, "height": 450}, device_scale_factor=2)  # type: ignore[attr-defined]
    for path in PAGE_TYPES.values():
        page.goto(server + path)
        assert overflowing(page) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= 640, path
    page.goto(server + "items/zjj/sgxk/")
    shot(page, "item-zoom-200")


def test_every_chart_has_a_text_equivalent(server: str, browser: object) -> None:
    page = new_page(browser)
    for path in ("items/zjj/sgxk/", "items/scjg/qykb/", "stats/"):
        page.goto(server + path)
        charts = page.locator('svg[role="img"]')
        assert charts.count() >= 1
        for index in range(charts.count()):
            described = charts.nth(index).get_attribute("aria-describedby")
            assert described, path
            equivalent = page.locator(f"#{described}")
            assert equivalent.count() == 1 and len(equivalent.inner_text()) > 20, (path, described)
            assert charts.nth(index).evaluate("el => !!el.querySelector('title')") or charts.nth(index).get_attribute(
                "aria-labelledby"
            )


def test_large_text_switch_remembers_its_state(server: str, browser: object) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(server + "items/zjj/sgxk/")
    size = "() => parseFloat(getComputedStyle(document.querySelector('.md-typeset')).fontSize)"
    normal = page.evaluate(size)
    button = page.locator("button.bs-textsize")
    assert button.get_attribute("aria-pressed") == "false"
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    assert page.evaluate(size) >= normal * 1.2
    page.goto(server + "departments/zjj/")  # another page, same setting
    assert page.evaluate(size) >= normal * 1.2
    assert page.locator("button.bs-textsize").get_attribute("aria-pressed") == "true"
    assert overflowing(page) == []
    shot(page, "department-large-text")
    page.locator("button.bs-textsize").click()
    page.reload()
    assert page.evaluate(size) == normal
    context.close()


def test_deadline_calculator_counts_working_days(server: str, browser: object) -> None:
    page = new_page(browser)
    page.goto(server + "items/zjj/sgxk/")  # 承诺 3 个工作日，法定 7 个工作日
    box = page.locator(".bs-deadline")
    assert box.is_visible()
    field = box.locator("input[type=date]")
    field.fill("2026-09-30")  # before the National Day holiday; Saturday 10/10 is a make-up working day
    result = box.locator(".bs-deadline__result").inner_text()
    assert "承诺办结日期：2026 年 10 月 10 日（星期六）" in result
    assert "法定最迟日期：2026 年 10 月 15 日（星期四）" in result
    field.fill("2026-12-28")  # the statutory limit runs into 2027, whose holidays the calendar does not know yet
    result = box.locator(".bs-deadline__result").inner_text()
    assert "承诺办结日期：2026 年 12 月 31 日（星期四）" in result
    assert (  # 元旦 is a holiday by date, whatever the 2027 notice says
        "法定最迟日期：约 2027 年 1 月 7 日（星期四）"
        "（2027 年的放假安排尚未公布，只计入了周末和元旦、劳动节、国庆节，仅供参考）"
    ) in result
    field.fill("2026-11-28")  # a Saturday: accepted on the Monday after
    result = box.locator(".bs-deadline__result").inner_text()
    assert (
        "所选日期 2026 年 11 月 28 日（星期六） 不是工作日，按其后第一个工作日 2026 年 11 月 30 日（星期一） 受理计算"
        in result
    )
    assert "承诺办结日期：2026 年 12 月 3 日（星期四）" in result
    dates = box.locator(".bs-date")
    assert dates.count() >= 3
    assert all(d.evaluate("e => getComputedStyle(e).whiteSpace") == "nowrap" for d in dates.all())  # never broken
    shot(page, "deadline")
    page.goto(server + "items/scjg/gtgsh-bg/")  # 即办件: no calculator
    assert page.locator(".bs-deadline").count() == 0


def test_calculator_is_hidden_without_javascript(server: str, browser: object) -> None:
    context = browser.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(server + "items/zjj/sgxk/")
    assert not page.locator(".bs-deadline").is_visible()
    assert "从受理的次日起算" in page.locator(".bs-deadline__rule").inner_text()
    assert page.locator("button.bs-textsize").count() == 0
    context.close()


@pytest.fixture(autouse=True)
def _axe_installed() -> None:
    if not Path(AXE).is_file():
        pytest.fail("axe-core is missing: run `npm ci --prefix tests` (bash .ci/setup does)")


NARROW_PAGES = {
    **PAGE_TYPES,
    "item-with-materials-not-to-bring": "items/gaj/sfz-hl/",
    "item-with-situations": "items/sthj/hpb/",
    "item-wide-chart": "items/scjg/qykb/",
    "situation-checklist": "print/sthj/hpb/checklist-baogaobiao.html",
}
"""Every page type, and the items whose summary card, materials or situations are the longest."""


@pytest.mark.parametrize("large", [False, True], ids=["normal-text", "large-text"])
@pytest.mark.parametrize("width", [320, 390])
def test_no_page_scrolls_sideways_on_a_phone(server: str, browser: object, width: int, large: bool) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})  # type: ignore[attr-defined]
    if large:  # 大字: the switch's setting, restored before the first paint
        context.add_init_script("try { localStorage.setItem('bs-large-text', '1') } catch (e) {}")
    page = context.new_page()
    wide = {}
    for name, path in NARROW_PAGES.items():
        page.goto(server + path)
        if large and not path.endswith(".html"):  # the printable forms and the full-size chart have no switch
            assert page.evaluate("document.documentElement.classList.contains('bs-large')"), name
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width or overflowing(page):
            wide[name] = (scroll, overflowing(page))
    context.close()
    assert wide == {}
