"""Shared fixtures: the demo catalog, the minimal valid tree and copies of it to break, the built site."""

from __future__ import annotations

import contextlib
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.model import Catalog, Procedure
from generator.versions import History

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
VALID = FIXTURES / "valid"
INVALID = FIXTURES / "invalid"


@pytest.fixture(scope="session")
def demo() -> Catalog:
    """The demo catalog (``procedures/``), loaded once."""
    from generator.load import load

    result = load(ROOT / "procedures", ROOT)
    assert result.catalog is not None, [d.text() for d in result.diagnostics]
    return result.catalog


def item_of(catalog: Catalog, slug: str) -> Procedure:
    return next(p for p in catalog.procedures if p.slug == slug)


def item_page(catalog: Catalog, p: Procedure, history: History | None = None, svg: str = "<svg></svg>") -> str:
    """An item's complete Markdown page, as render --out writes it (no markers)."""
    from generator.render.pages import PageRenderer
    from generator.render.view import ItemView

    history = history or History()
    renderer = PageRenderer()
    renderer.item_pages(ItemView.of(catalog, p, *history.of(p.code), history.coverage), svg)
    return renderer.take().files[f"items/{p.slug}.md"]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the minimal valid ``procedures/`` tree at ``tmp_path/procedures``."""
    target = tmp_path / "procedures"
    shutil.copytree(VALID, target)
    return target


def project_with(procedures: Path, target: Path) -> Path:
    """A copy of the project whose procedures/ is ``procedures``; its mkdocs.yml."""
    project = copy_project(target)
    shutil.rmtree(project / "procedures")
    shutil.copytree(procedures, project / "procedures")
    return project / "mkdocs.yml"


def published(site: Path, slug: str) -> dict[str, str]:
    """What the public gets of one item (``department/item``): its page's article, both printable forms, its open
    data file."""
    page = (site / f"items/{slug}/index.html").read_text(encoding="utf-8")
    return {
        "page": page[page.index('<article class="md-content__inner') : page.index("</article>")],
        "checklist": (site / f"print/{slug}/checklist.html").read_text(encoding="utf-8"),
        "notice": (site / f"print/{slug}/notice.html").read_text(encoding="utf-8"),
        "data": (site / f"data/items/{slug}.json").read_text(encoding="utf-8"),
    }


def copy_project(target: Path) -> Path:
    """A copy of everything a build reads: mkdocs.yml, content/, procedures/, site_templates/."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    for folder in ("content", "procedures", "site_templates"):
        shutil.copytree(ROOT / folder, target / folder)
    return target


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site, built once per test session with ``python -m generator build``'s function."""
    from generator.mkdocs.build import build_site

    project = copy_project(tmp_path_factory.mktemp("project"))
    return build_site(project / "mkdocs.yml")


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    """A built site served on 127.0.0.1 (for browser tests); its address."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="session")
def server(built_site: Path) -> Iterator[str]:
    """The built demo site, served on 127.0.0.1 for browser tests."""
    with serve(built_site) as address:
        yield address


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian Chromium, driven by Playwright."""
    playwright = pytest.importorskip("playwright.sync_api")
    from .browser import ARGS, CHROMIUM

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium 未安装：请运行 bash .ci/setup")
    with playwright.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


def write_bomb(path: Path, header: list[str], megabytes: int = 300) -> Path:
    """An XLSX file of a few hundred kilobytes whose sheet unpacks to ``megabytes`` MiB: a header row, then
    padding inside the sheet's XML, and no <dimension> tag."""
    import zipfile

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(header)
    book.save(path)
    with zipfile.ZipFile(path) as original:
        members = {info.filename: original.read(info) for info in original.infolist()}
    sheet = members["xl/worksheets/sheet1.xml"].decode("utf-8")
    sheet = re.sub(r"<dimension [^>]*/>", "", sheet)
    head, tail = sheet.split("</sheetData>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        for name, data in members.items():
            if name != "xl/worksheets/sheet1.xml":
                bomb.writestr(name, data)
        with bomb.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            member.write(head.encode("utf-8"))
            padding = b" " * 1024**2
            for _ in range(megabytes):
                member.write(padding)
            member.write(("</sheetData>" + tail).encode("utf-8"))
    return path


def whole_search_index(site: Path) -> dict[str, Any]:
    """The site's search index as one document list, as it was before it was split for phones (the items in their
    chunks' order, then the hand-written pages: the order the worker searches them in)."""
    import json

    index: dict[str, Any] = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    if "banshi_shards" not in index["config"]:
        return index  # a small site's index is not split
    manifest = index["config"]["banshi_shards"]
    items = [
        doc
        for n in range(len(manifest["chunks"]))
        for doc in json.loads((site / f"search/d/{n}.json").read_text(encoding="utf-8"))
    ]
    return {**index, "docs": items + index["docs"]}


def whole_search_file(site: Path, target: Path) -> Path:
    """:func:`whole_search_index` written to ``target`` (for the measures run under Node)."""
    import json

    target.write_text(json.dumps(whole_search_index(site), ensure_ascii=False), encoding="utf-8")
    return target
