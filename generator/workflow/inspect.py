"""``python -m generator check``: the built site and its data against the government-website checks.

The quarterly checks (政府网站与政务新媒体检查指标, 国办秘函〔2019〕19号) fail a site on one veto item
(单项否决) and score the rest.  What the generator can see is checked here, in their shape:

- 办事指南要素: per item, the key elements the inspections score, stated or missing (five or more missing
  is 服务不实用, a veto);
- 办事表格和附件: every link to a form or attachment resolves (a form that cannot be downloaded: veto);
- 链接可用性: internal links and anchors resolve (scored);
- 发布日期: every page states its 发布日期 and 更新日期 (a page without is counted as not updated: veto);
- 网站身份: 主办单位, 网站标识码, ICP备案号, 公安机关备案号 and the 党政机关网站标识 (veto when missing);
- 外部资源: nothing is loaded from another host (veto);
- IPv6: no IPv4 literal in an address (scored).

It writes a report for people (Markdown) and machines (JSON), and a summary page (``check/`` in the
site) that the statistics page links to.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markupsafe import Markup

from ..model import IDENTITY, Catalog, Procedure, Site
from ..render.pages import STATS, PageRenderer
from ..render.report import REPORT_FOLDER, report_page, with_report_link
from ..render.urls import page_url, relative_link
from ..render.view import ItemView

KEY_ELEMENTS = (
    "事项名称",
    "设定依据",
    "申请条件",
    "办理材料",
    "办理地点",
    "办理机构",
    "收费标准",
    "办理时间",
    "联系电话",
    "办理流程",
)
"""办事指南重点要素, as the inspections list them."""
VETO_MISSING = 5
"""An item missing this many key elements makes the service 不实用 (a veto item)."""
IDENTITY_TITLES = {
    "sponsor": "主办单位",
    "site_code": "政府网站标识码",
    "icp": "ICP备案号",
    "police": "公安机关备案号",
    "badge": "党政机关网站标识",
}
RULES = {
    "elements": ("办事指南要素", False),
    "service": ("服务不实用（办事指南重点要素缺失）", True),
    "forms": ("办事表格和附件不能下载", True),
    "links": ("链接不可用", False),
    "dates": ("未注明发布日期和更新日期", True),
    "identity": ("网站身份信息缺失", True),
    "external": ("加载外部网站的资源", True),
    "ipv4": ("网址使用 IPv4 地址（不支持 IPv6）", False),
}
"""Each rule: its name in the report, and whether a finding is a veto (单项否决)."""
POINTS = {"elements": 1, "links": 2, "ipv4": 5}
"""Points a scored finding costs, out of 100."""
IPV4 = re.compile(r"^(?:\d{1,3}\.){3}\d{1,3}$")
ATTACHMENT = re.compile(r"\.(?:pdf|docx?|xlsx?|wps|et|ofd|zip|rar|jpg|png)$", re.I)


@dataclass(frozen=True)
class Finding:
    rule: str
    page: str
    """The page (or data file) it is about, relative to the site or the repository."""
    detail: str

    @property
    def veto(self) -> bool:
        return RULES[self.rule][1]


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    items: dict[str, dict[str, bool]] = field(default_factory=dict)
    """Item (部门/事项) → key element → stated."""
    pages: int = 0

    @property
    def vetoes(self) -> list[Finding]:
        return [f for f in self.findings if f.veto]

    @property
    def score(self) -> int:
        lost = {rule: 0 for rule in POINTS}
        for finding in self.findings:
            if finding.rule in POINTS:
                lost[finding.rule] += POINTS[finding.rule]
        return max(0, 100 - sum(min(points, 40) for points in lost.values()))

    @property
    def passed(self) -> bool:
        return not self.vetoes


def inspect(site_dir: Path, catalog: Catalog) -> Report:
    """Check the built site in ``site_dir`` and the catalog it was built from."""
    report = Report()
    for p in catalog.procedures:
        stated = elements(ItemView.of(catalog, p))
        report.items[p.slug] = stated
        missing = [name for name, ok in stated.items() if not ok]
        for name in missing:
            report.findings.append(Finding("elements", f"items/{p.slug}/", f"{p.name}：未公布{name}"))
        if len(missing) >= VETO_MISSING:
            report.findings.append(Finding("service", f"items/{p.slug}/", f"{p.name}：{len(missing)} 项重点要素未公布"))
    report.findings += identity(catalog.site)
    pages = {p.relative_to(site_dir).as_posix(): p for p in sorted(site_dir.rglob("*.html"))}
    anchors = {path: _Page.read(file).ids for path, file in pages.items()}
    for path, file in pages.items():
        if path.startswith(f"{REPORT_FOLDER}/") or path == "404.html":
            continue
        page = _Page.read(file)
        if page.redirect:
            continue
        report.pages += 1
        report.findings += dict.fromkeys(_page_findings(site_dir, path, page, anchors))  # a link repeated: once
    report.findings.sort(key=lambda f: (not f.veto, f.rule, f.page, f.detail))
    return report


def elements(view: ItemView) -> dict[str, bool]:
    """Which key elements an item's guide states."""
    p: Procedure = view.procedure
    return {
        "事项名称": bool(p.name),
        "设定依据": p.basis is not None,
        "申请条件": p.conditions is not None,
        "办理材料": True,  # required by the format: a list, possibly 无需提交材料
        "办理地点": view.place is not None,
        "办理机构": True,  # the department, always
        "收费标准": p.stated_everywhere(lambda v: v.fees),
        "办理时间": view.hours is not None,
        "联系电话": view.phone is not None,
        "办理流程": bool(p.steps),
    }


def identity(site: Site) -> Iterator[Finding]:
    own = site.identity
    for key in IDENTITY:
        if own is None or not getattr(own, key):
            yield Finding("identity", "procedures/site.yml", f"未填写{IDENTITY_TITLES[key]}（identity.{key}）")


def _page_findings(site_dir: Path, path: str, page: _Page, anchors: dict[str, set[str]]) -> Iterator[Finding]:
    if not re.search(r"更新日期：<time", page.text):
        yield Finding("dates", path, "页面没有注明发布日期和更新日期")
    for url in page.loaded:
        if urlsplit(url).scheme in ("http", "https") or url.startswith("//"):
            yield Finding("external", path, f"加载了外部资源 {url}")
    for url in page.links + page.loaded:
        if IPV4.match(urlsplit(url).hostname or ""):
            yield Finding("ipv4", path, f"网址使用 IPv4 地址：{url}")
    for url in page.links:
        yield from _link_findings(site_dir, path, page, url, anchors)


def _link_findings(site_dir: Path, path: str, page: _Page, url: str, anchors: dict[str, set[str]]) -> Iterator[Finding]:
    """A link of the page: to an anchor of the page, or to a file of the site (and an anchor in it)."""
    parts = urlsplit(url)
    if url.startswith("#"):
        if url[1:] and unquote(url[1:]) not in page.ids:
            yield Finding("links", path, f"本页没有锚点 {url}")
        return
    if parts.scheme or url.startswith("//") or not parts.path:
        return
    root = site_dir.resolve()
    target = (site_dir / Path(path).parent / unquote(parts.path)).resolve()
    target = target / "index.html" if target.is_dir() else target
    relative = target.relative_to(root).as_posix() if target.is_relative_to(root) else ""
    if not target.is_file():
        rule = "forms" if ATTACHMENT.search(parts.path) else "links"
        yield Finding(rule, path, f"链接指向不存在的文件 {url}")
    elif parts.fragment and relative in anchors and unquote(parts.fragment) not in anchors[relative]:
        yield Finding("links", path, f"{relative} 中没有锚点 #{parts.fragment}")


class _Page(HTMLParser):
    """What the check needs of one HTML page: links, loaded resources, ids, whether it is a redirect."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.loaded: list[str] = []
        self.ids: set[str] = set()
        self.redirect = False
        self.text = ""

    @classmethod
    def read(cls, file: Path) -> _Page:
        page = cls()
        page.text = file.read_text(encoding="utf-8", errors="replace")
        page.feed(page.text)
        return page

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a" and values.get("href"):
            self.links.append(html.unescape(values["href"]))
        if tag in ("script", "img", "iframe", "audio", "video", "source", "embed") and values.get("src"):
            self.loaded.append(values["src"])
        if tag == "link" and values.get("href") and values.get("rel", "") not in ("canonical", "alternate"):
            self.loaded.append(values["href"])
            if values.get("rel") in ("icon", "stylesheet"):
                self.links.append(values["href"])
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.redirect = True


# The report ------------------------------------------------------------------


def markdown(report: Report) -> str:
    """The report for people, in the shape of the 检查指标: the veto items, then the scored ones."""
    verdict = "合格" if report.passed else "不合格"
    lines = [
        "# 网站自检报告",
        "",
        f"依据《政府网站与政务新媒体检查指标》中本站能够自查的部分。检查了 {report.pages} 个页面、"
        f"{len(report.items)} 个事项。",
        "",
        f"**结论：{verdict}**（单项否决 {len(report.vetoes)} 项；其余指标得分 {report.score}/100）",
        "",
        "## 单项否决",
        "",
    ]
    for rule, (title, veto) in RULES.items():
        if veto:
            found = [f for f in report.findings if f.rule == rule]
            lines.append(f"- {title}：{'无' if not found else f'{len(found)} 处'}")
            lines += [f"  - `{f.page}`：{_md(f.detail)}" for f in found[:50]]
    lines += ["", "## 扣分项", ""]
    for rule, (title, veto) in RULES.items():
        if not veto:
            found = [f for f in report.findings if f.rule == rule]
            lines.append(f"- {title}：{'无' if not found else f'{len(found)} 处'}")
            lines += [f"  - `{f.page}`：{_md(f.detail)}" for f in found[:50]]
    lines += ["", "## 各事项的办事指南重点要素", ""]
    lines.append("| 事项 | " + " | ".join(KEY_ELEMENTS) + " |")
    lines.append("|---|" + "---|" * len(KEY_ELEMENTS))
    for slug, stated in report.items.items():
        lines.append(f"| `{slug}` | " + " | ".join("✓" if stated[name] else "✗ 未公布" for name in KEY_ELEMENTS) + " |")
    return "\n".join(lines) + "\n"


def to_json(report: Report) -> str:
    data = {
        "passed": report.passed,
        "score": report.score,
        "pages": report.pages,
        "vetoes": len(report.vetoes),
        "rules": {rule: {"title": title, "veto": veto} for rule, (title, veto) in RULES.items()},
        "findings": [{**asdict(f), "veto": f.veto} for f in report.findings],
        "items": report.items,
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def summary_page(report: Report) -> Markup:
    """``check/index.html``: the report's summary, linked from the statistics page."""
    verdict = "合格" if report.passed else "不合格"
    rows = "".join(
        f'<tr><th scope="row">{html.escape(name)}</th><td class="bs-num">{"单项否决" if veto else "扣分"}</td>'
        f'<td class="bs-num">{sum(1 for f in report.findings if f.rule == rule) or "无"}</td></tr>'
        for rule, (name, veto) in RULES.items()
    )
    vetoes = "".join(
        f"<li>{html.escape(RULES[f.rule][0])}：<code>{html.escape(f.page)}</code>：{html.escape(f.detail)}</li>"
        for f in report.vetoes[:30]
    )
    more = f"<p>另有 {len(report.vetoes) - 30} 项，见完整报告。</p>" if len(report.vetoes) > 30 else ""
    return Markup(
        f"<p><strong>结论：{verdict}</strong>（单项否决 {len(report.vetoes)} 项；其余指标得分 {report.score}/100）。"
        f"检查了 {report.pages} 个页面、{len(report.items)} 个事项。</p>"
        '<table class="bs-table bs-rules"><thead><tr>'
        '<th scope="col">指标</th><th scope="col">类别</th><th scope="col">问题</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
        + (f"<h2>单项否决</h2><ul>{vetoes}</ul>{more}" if vetoes else "")
        + '<p>完整报告：<a href="report.md">Markdown</a>、<a href="report.json">JSON</a>。</p>'
    )


def write(report: Report, site_dir: Path, site: Site, checked: date) -> Path:
    """The report's three files in ``check/`` of the built site; ``checked`` is the day the check ran."""
    folder = site_dir / REPORT_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "report.md").write_text(markdown(report), encoding="utf-8")
    (folder / "report.json").write_text(to_json(report), encoding="utf-8")
    directory_urls = not (site_dir / "stats.html").is_file()  # the site was built with use_directory_urls: false
    shell = _read(site_dir / "404.html")
    (folder / "index.html").write_text(
        report_page(PageRenderer(directory_urls), site, summary_page(report), checked, shell), encoding="utf-8"
    )
    stats_url = page_url(STATS, directory_urls)
    stats = site_dir / (stats_url + "index.html" if stats_url.endswith("/") else stats_url)
    text = _read(stats)
    if text is not None:  # the statistics page says where the report is, now that there is one
        href = relative_link(STATS, f"{REPORT_FOLDER}/index.html", directory_urls)
        stats.write_text(with_report_link(text, href), encoding="utf-8")
    return folder


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8") if path.is_file() and not path.is_symlink() else None
    except (OSError, UnicodeDecodeError):
        return None


def _md(text: str) -> str:
    from ..render.escape import markdown_text

    return str(markdown_text(text))
