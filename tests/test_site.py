"""The built site: every page exists, strict MkDocs passes, nothing loads from other hosts."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.mkdocs.build import BuildFailed, build_site
from generator.model import Catalog
from generator.render.pages import DEPARTMENTS, ICP_QUERY, INDEXES, police_query
from generator.render.urls import Paths, page_url

from .conftest import ROOT, copy_project, whole_search_index


def html_of(site: Path, path: str) -> Path:
    """The built file of a generated page: Markdown pages get a folder, the printable forms are HTML already."""
    return site / page_url(path, True) / "index.html" if path.endswith(".md") else site / path


def test_every_generated_page_exists(built_site: Path, demo: Catalog) -> None:
    expected = [Paths.item(p) for p in demo.procedures]
    expected += [Paths.checklist(p) for p in demo.procedures]
    expected += [Paths.notice(p) for p in demo.procedures]
    expected += [Paths.chart_page(p) for p in demo.procedures]
    expected += [Paths.department(d) for d in demo.departments]
    expected += [*INDEXES, DEPARTMENTS, "404.html", "robots.txt"]
    for md_path in expected:
        assert html_of(built_site, md_path).is_file(), md_path
    for p in demo.procedures:
        assert (built_site / Paths.chart(p)).is_file()
    for form in demo.forms:
        published = Paths.form(form.department, form.relative)
        assert (built_site / published).is_file() and "/forms/" not in published  # not forms/zjj/forms/…


def test_mkdocs_build_strict_passes_directly(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    completed = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "out")],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stderr
    assert (tmp_path / "out" / "items" / "zrzy" / "jsgc-ghxk" / "index.html").is_file()


class _AssetFinder(HTMLParser):
    """Collects every URL that a browser would fetch by itself (not links a person clicks)."""

    FETCHING = {
        "script": "src",
        "img": "src",
        "iframe": "src",
        "source": "src",
        "link": "href",
        "audio": "src",
        "video": "src",
        "embed": "src",
        "object": "data",
    }

    def __init__(self) -> None:
        super().__init__()
        self.fetched: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "link" and values.get("rel") in ("canonical", "alternate"):
            return
        attribute = self.FETCHING.get(tag)
        if attribute and values.get(attribute):
            self.fetched.append(values[attribute] or "")
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        if values.get("style") and "url(" in (values["style"] or ""):
            self.fetched.append(values["style"] or "")


def test_no_request_to_any_external_host(built_site: Path) -> None:
    external = re.compile(r"^(https?:)?//", re.I)
    for page in built_site.rglob("*.html"):
        finder = _AssetFinder()
        finder.feed(page.read_text(encoding="utf-8"))
        offenders = [u for u in finder.fetched if external.search(u) or "url(http" in u]
        assert offenders == [], page
    for stylesheet in built_site.rglob("*.css"):
        text = stylesheet.read_text(encoding="utf-8")
        assert not re.search(r"(url\(\s*['\"]?|@import\s+['\"]?)(https?:)?//", text), stylesheet
    assert "fonts.googleapis" not in (built_site / "index.html").read_text(encoding="utf-8")


def test_external_links_are_only_those_the_content_makes(built_site: Path, demo: Catalog) -> None:
    allowed = {demo.site.complaint.online, demo.site.rating_url, demo.site.progress_url}  # the portal's entries
    for p in demo.procedures:
        allowed |= {p.online.url if p.online else None, p.complaint.online if p.complaint else None}
        allowed |= {b.url for b in p.basis or ()} | {c.url for c in p.contacts or ()}
    for b in demo.bundles:
        allowed |= {b.online.url if b.online else None} | {c.url for c in b.contacts or ()}
        allowed |= {law.url for law in b.basis or ()}
    for d in demo.departments:
        allowed |= {c.url for c in d.contacts or ()}
        allowed |= {d.website, d.complaint.online}
    identity = demo.site.identity
    assert identity is not None and identity.police is not None
    # the only addresses the site itself adds: the registries' query pages of the 备案号 (and the badge's link)
    allowed |= {ICP_QUERY, police_query(identity.police), identity.badge_link}
    for written in (ROOT / "content").rglob("*.md"):  # what the hand-written pages link to themselves
        allowed |= set(re.findall(r"https?://[^\s)>\]]+", written.read_text(encoding="utf-8")))
    for page in built_site.rglob("*.html"):
        finder = _AssetFinder()
        finder.feed(page.read_text(encoding="utf-8"))
        outside = {u for u in finder.links if u.startswith(("http://", "https://"))}
        assert outside <= allowed, (page, outside - allowed)


def test_internal_links_resolve(built_site: Path) -> None:
    for page in built_site.rglob("*.html"):
        if page.name == "404.html":  # MkDocs writes root-relative links there by design
            continue
        finder = _AssetFinder()
        finder.feed(page.read_text(encoding="utf-8"))
        for href in finder.links:
            if re.match(r"^([a-z]+:|#)", href):
                continue
            target = (page.parent / href.split("#")[0].split("?")[0]).resolve()  # ?situation= is for the script
            if target.is_dir():
                target = target / "index.html"
            assert target.is_file(), f"{page}: {href}"


def test_search_index_describes_each_item_once_and_pages_in_plain_text(built_site: Path, demo: Catalog) -> None:
    index = whole_search_index(built_site)
    items = [d for d in index["docs"] if d["location"].startswith("items/")]
    assert [d["location"] for d in items] == [f"items/{p.slug}/" for p in demo.procedures]
    sgxk = next(d for d in items if d["location"] == "items/zjj/sgxk/")
    assert sgxk["title"] == "建筑工程施工许可证核发"
    assert sgxk["text"] == "示例市住房和城乡建设局 · 承诺 3个工作日 · 不用跑（0 次）"  # 部门 · 时限 · 跑几次, no code
    assert "建设工程规划许可证" in sgxk["banshi"]["materials"]
    sbk = next(d for d in items if d["location"] == "items/rsj/sbk/")
    assert "社保卡" in sbk["banshi"]["aliases"]
    assert not any("\u200b" in d["title"] + d["text"] or "<" in d["text"] for d in index["docs"])
    assert not any(d["location"].startswith(("editors/", "guide/", "print/")) for d in index["docs"])


def test_item_page_order_and_summary(built_site: Path) -> None:
    text = html_of(built_site, "items/zrzy/jsgc-ghxk.md").read_text(encoding="utf-8")
    assert '承诺 <strong>10个工作日</strong><span class="bs-fact__more">法定 20个工作日</span>' in text
    headings = re.findall(r'<h2[^>]* id="([a-z]+)"', text)
    # what the applicant brings, pays and where they go first; the department's internal process after
    assert headings == [
        "materials",
        "conditions",
        "fees",
        "place",
        "consult",
        "deadline",
        "flowchart",
        "steps",
        "result",
        "commitments",
        "complaint",
        "basis",
        "about",
        "history",
    ]
    toc = re.findall(r'<li><a href="#([a-z]+)">', text.split('<details class="bs-toc">')[1].split("</details>")[0])
    assert toc == headings  # 本页目录 for phones lists the same sections
    crumbs = text.split('<nav class="bs-crumbs" aria-label="当前位置">')[1].split("</nav>")[0]
    assert re.sub(r"<[^>]+>|\s", "", crumbs) == "首页办事指南市自然资源规划局建设工程规划许可证核发"
    assert 'role="img"' in text and "<text" in text
    assert 'aria-describedby="jsgc-ghxk-steps"' in text and 'id="jsgc-ghxk-steps"' in text


def test_printable_pages_are_standalone(built_site: Path, demo: Catalog) -> None:
    for p in demo.procedures:
        for md_path in (Paths.checklist(p), Paths.notice(p)):
            text = html_of(built_site, md_path).read_text(encoding="utf-8")
            assert "<script" not in text and 'href="../../../assets/stylesheets/print.css"' in text
    notice = html_of(built_site, Paths.notice(demo.procedures[0])).read_text(encoding="utf-8")
    assert "行政复议" in notice and "行政诉讼" in notice and "经办人" in notice


def _tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_failed_build_leaves_the_previous_site_untouched(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    site = build_site(project / "mkdocs.yml")
    before = _tree_digest(site)
    item = project / "procedures" / "zrzy" / "jsgc-ghxk.yml"
    item.write_text(item.read_text(encoding="utf-8").replace("visits: 1", "visits: 两次"), encoding="utf-8")
    with pytest.raises(BuildFailed, match=r"jsgc-ghxk.yml:\d+:\d+: error: visits"):
        build_site(project / "mkdocs.yml")
    assert _tree_digest(site) == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".site")] == []


def test_cli_build_says_why_it_failed(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    item = project / "procedures" / "zrzy" / "jsgc-ghxk.yml"
    item.write_text(item.read_text(encoding="utf-8").replace("kind: 承诺件", "kind: 承诺"), encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "generator", "build"], cwd=project, capture_output=True, text=True
    )
    assert completed.returncode == 1
    assert "kind (办件类型)" in completed.stderr and "原有网站保持不变" in completed.stderr
    assert not (project / "site").exists()


def test_render_writes_a_plain_markdown_and_svg_tree(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    completed = subprocess.run(
        [sys.executable, "-m", "generator", "render", "--out", "tree"],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stderr
    tree = project / "tree"
    assert (tree / "index.md").is_file()  # hand-written pages come along
    assert (tree / "items" / "zjj" / "sgxk.md").read_text(encoding="utf-8").startswith("---\ntitle:")
    assert (tree / "items" / "zjj" / "sgxk.svg").read_text(encoding="utf-8").startswith("<svg")
    assert not (project / "content" / "items").exists()


def test_search_index_is_lean(built_site: Path) -> None:
    index = whole_search_index(built_site)
    items = [d for d in index["docs"] if d["location"].startswith("items/")]
    text = json.dumps(items, ensure_ascii=False)
    for boilerplate in ("行政复议", "效能投诉", "0000-12345309", "办理岗位"):
        assert boilerplate not in text, boilerplate
    assert len(text.encode()) / len(items) < 1500  # bytes per item


def test_departments_list_the_items_they_take_part_in(built_site: Path, demo: Catalog) -> None:
    page = (built_site / "departments/gaj/index.html").read_text(encoding="utf-8")
    joined = page[page.index('id="joined"') :]
    assert "企业开办" in joined and "市场监管" in joined  # scjg's item, with its department shown
    for d in demo.departments:
        text = (built_site / f"departments/{d.id}/index.html").read_text(encoding="utf-8")
        for heading in re.findall(r'<h2[^>]*id="(items|joined)"', text):
            section = text[text.index(f'id="{heading}"') :]
            assert "<li>" in section.split("<h2", 1)[0] or "<li><a href" in section.split("<h2")[0], (d.id, heading)
