"""Item and department pages rendered outside MkDocs' page loop are the pages MkDocs writes, byte for byte.

The demo, with a git history (so pages carry dates and 变更记录), is built
with the pages rendered outside MkDocs' loop (the default) and with
``own_pages: false`` (MkDocs renders every page); a third build renders them in
forked workers, in a process of its own.  That a warm build copies the
remembered pages and writes the same site is tests/test_scale.py's.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.mkdocs.build import build_site
from generator.speed.progress import Progress

from .conftest import ROOT, copy_project
from .test_changes import Repo

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

PAGE_TYPES = {"item": "items/", "department": "departments/"}
"""Page types rendered outside MkDocs' loop, by the folder of their pages in the site."""


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    work = tmp_path_factory.mktemp("own-pages")
    project = copy_project(work / "project")
    repo = Repo.at(project)
    repo.edit("gaj/jzz.yml", "aliases: [办居住证]", "aliases: [办居住证, 居住证办理]")
    repo.commit("居住证：加一个别名", "2026-03-02")
    config = project / "mkdocs.yml"
    first = Progress.silent()
    own = build_site(config, work / "own", first)
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("      procedures: procedures\n", "      procedures: procedures\n      own_pages: false\n")
    )
    plain = build_site(config, work / "plain", Progress.silent())
    config.write_text(text)
    shutil.rmtree(project / ".cache" / "html")
    forked = work / "forked"
    script = (
        "import sys; from pathlib import Path; from generator.mkdocs import pages; from generator.speed.parallel "
        "import Parallel, fork_safe; from generator.mkdocs.build import build_site; assert fork_safe(); "
        "pages.PARALLEL = Parallel(threshold=1, workers=2); build_site(Path(sys.argv[1]), Path(sys.argv[2]))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([sys.executable, "-c", script, str(config), str(forked)], env=env, check=True, capture_output=True)
    return {
        "own": files_of(own),
        "plain": files_of(plain),
        "forked": files_of(forked),
        "counts": first.counts,
    }


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_every_page_of_each_type_is_the_page_mkdocs_writes(builds: dict[str, dict[str, bytes]], kind: str) -> None:
    folder = PAGE_TYPES[kind]
    own = {p: b for p, b in builds["own"].items() if p.startswith(folder) and p.endswith("index.html")}
    plain = {p: b for p, b in builds["plain"].items() if p.startswith(folder) and p.endswith("index.html")}
    assert len(own) >= 5, f"the demo has {kind} pages"
    assert sorted(own) == sorted(plain)
    different = [p for p in own if own[p] != plain[p]]
    assert not different, f"{kind} pages unlike MkDocs' own: {different}"
    assert all(b'<time datetime="2026-0' in page for page in own.values()), "dates from git history"


def test_the_whole_site_is_the_same_sitemap_and_search_included(builds: dict[str, dict[str, bytes]]) -> None:
    own, plain = builds["own"], builds["plain"]
    assert sorted(own) == sorted(plain)
    assert [p for p in own if own[p] != plain[p]] == []
    assert b"departments/gaj/" in own["sitemap.xml"] and b"items/gaj/jzz/" in own["sitemap.xml"]
    locations = {d["location"] for d in json.loads(own["search/search_index.json"])["docs"]}
    assert any(location.startswith("departments/gaj/") for location in locations), "department pages are searchable"


def test_the_pages_were_rendered_outside_mkdocs_loop(builds: dict[str, object]) -> None:
    site = builds["own"]
    assert isinstance(site, dict)
    folders = tuple(PAGE_TYPES.values())
    pages = [p for p in site if p.startswith(folders) and p.endswith("index.html") and p != "departments/index.html"]
    assert builds["counts"] == {**builds["counts"], "pages_rendered": len(pages), "pages_copied": 0}


def test_pages_rendered_in_forked_workers_are_the_same(builds: dict[str, dict[str, bytes]]) -> None:
    own, forked = builds["own"], builds["forked"]
    assert [p for p in own if own.get(p) != forked.get(p)] == []
