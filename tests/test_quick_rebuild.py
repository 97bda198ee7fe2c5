"""Under ``mkdocs serve``, an edit under procedures/ is rebuilt quickly, and the preview is then the site a full
rebuild writes, byte for byte (generator/mkdocs/quick.py).

The server is MkDocs' own rebuild step without the HTTP part: the demo is built as ``mkdocs serve`` builds it
(``on_startup`` with ``serve``, a serve address), the plugin's ``on_serve`` wraps the server's builder, an item is
edited, and the server calls the builder as it does after a change.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from generator.load import Workspace, load

from .conftest import ROOT, copy_project
from .test_own_pages import files_of

ADDRESS = "http://127.0.0.1:8000/"


class Server:
    """What the plugin sees of MkDocs' LiveReloadServer: what it watches and the builder it calls."""

    def __init__(self, builder: Callable[..., None]) -> None:
        self.builder = builder
        self.watched: list[str] = []

    def watch(self, path: str) -> None:
        self.watched.append(path)


class Serving:
    """The demo served into ``site``: ``rebuild()`` is what the server does after a change."""

    def __init__(self, project: Path, site: Path) -> None:
        self.project, self.site, self.full_builds = project, site, 0
        config = self.config()
        config.plugins.on_startup(command="serve", dirty=False)
        self.build(config)
        self.server = Server(self.build)
        self.server = config.plugins.on_serve(self.server, config=config, builder=self.build)

    def config(self) -> object:
        return load_config(str(self.project / "mkdocs.yml"), site_dir=str(self.site), site_url=ADDRESS)

    def build(self, config: object = None) -> None:
        self.full_builds += 1
        build(config or self.config(), serve_url=ADDRESS)  # type: ignore[arg-type]

    def rebuild(self) -> None:
        self.server.builder()


@pytest.fixture
def served(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> Iterator[Serving]:
    caplog.set_level(logging.INFO, logger="mkdocs.plugins.generator.mkdocs.plugin")
    caplog.set_level(logging.INFO, logger="mkdocs.structure.pages")
    serving = Serving(copy_project(tmp_path / "project"), tmp_path / "preview")
    yield serving
    load_config(str(serving.project / "mkdocs.yml")).plugins.on_startup(command="build", dirty=False)


def full_build(project: Path, work: Path) -> dict[str, bytes]:
    """The site a full rebuild writes, built apart: from a copy of the project without its cache, in a process of
    its own (nothing the serving process keeps in memory can reach it)."""
    copy = work / "project"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns(".cache"))
    script = (
        "import sys; from mkdocs.commands.build import build; from mkdocs.config import load_config; "
        "build(load_config(sys.argv[1], site_dir=sys.argv[2], site_url=sys.argv[3]), serve_url=sys.argv[3])"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-c", script, str(copy / "mkdocs.yml"), str(work / "site"), ADDRESS]
    subprocess.run(command, env=env, check=True, capture_output=True)
    return files_of(work / "site")


def same_as_full_build(served: Serving, work: Path) -> None:
    quick, full = files_of(served.site), full_build(served.project, work)
    assert sorted(quick) == sorted(full)
    assert [p for p in full if quick[p] != full[p]] == []


def edit(project: Path, path: str, old: str, new: str) -> None:
    file = project / "procedures" / path
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_renamed_item_is_rebuilt_quickly_into_the_site_a_full_build_writes(
    served: Serving, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    notes = [r.getMessage() for r in caplog.get_records("setup") if r.name == "mkdocs.structure.pages"]  # the build
    assert not any("excluded from the built site" in n for n in notes), "the department pages are in the site"
    edit(served.project, "gaj/csdj.yml", "name: 出生登记", "name: 出生登记（新）")
    served.rebuild()
    assert served.full_builds == 1, "no full rebuild"
    assert any("快速重建" in r.getMessage() for r in caplog.records)
    page = (served.site / "items/gaj/csdj/index.html").read_text(encoding="utf-8")
    assert "出生登记（新）" in page

    edit(served.project, "gaj/csdj.yml", "name: 出生登记（新）", "name: 出生登记")  # back, and another item
    edit(served.project, "rsj/syj.yml", "name: ", "name: 新")
    served.rebuild()
    assert served.full_builds == 1
    assert "新失业保险金申领" in (served.site / "guide/index.html").read_text(encoding="utf-8")
    same_as_full_build(served, tmp_path / "full")


def test_a_save_during_a_full_rebuild_is_rebuilt_after_it(
    served: Serving, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from generator.mkdocs import plugin

    def saved_meanwhile(folder: Path) -> object:
        edit(served.project, "gaj/csdj.yml", "name: 出生登记", "name: 出生登记（改）")
        monkeypatch.undo()
        return plugin.file_dates(folder)

    page = served.project / "content" / "complaint.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n补充一句。\n", encoding="utf-8")
    monkeypatch.setattr(plugin, "file_dates", saved_meanwhile)  # the plugin reads the pages' dates mid-build
    served.rebuild()
    assert served.full_builds == 2
    served.rebuild()  # the server saw the save during that build
    assert served.full_builds == 2, "quickly: the last build's stamps are of the files it read"
    assert "出生登记（改）" in (served.site / "items/gaj/csdj/index.html").read_text(encoding="utf-8")
    same_as_full_build(served, tmp_path / "full")


def test_a_site_without_search_gets_no_search_index(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - search:\n      lang: zh\n", ""), "utf-8")
    served = Serving(project, tmp_path / "preview")
    try:
        edit(project, "gaj/csdj.yml", "name: 出生登记", "name: 出生登记（一）")
        served.rebuild()
        edit(project, "gaj/csdj.yml", "name: 出生登记（一）", "name: 出生登记（二）")
        served.rebuild()
        assert served.full_builds == 1
        assert not (served.site / "search").exists()
        same_as_full_build(served, tmp_path / "full")
    finally:
        load_config(str(config)).plugins.on_startup(command="build", dirty=False)


def test_a_hand_written_page_a_popular_item_or_an_error_is_left_to_the_full_rebuild(
    served: Serving, caplog: pytest.LogCaptureFixture
) -> None:
    page = served.project / "content" / "complaint.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n补充一句。\n", encoding="utf-8")
    served.rebuild()
    assert served.full_builds == 2
    assert "补充一句" in (served.site / "complaint" / "index.html").read_text(encoding="utf-8")

    edit(served.project, "gaj/jzz.yml", "name: 居住证申领", "name: 居住证申领（新）")
    served.rebuild()
    assert served.full_builds == 3, "a popular item's name is in every page's search panel"
    assert "居住证申领（新）" in (served.site / "complaint" / "index.html").read_text(encoding="utf-8")

    edit(served.project, "gaj/jzz.yml", "visits: 1", "visits: 很多")
    caplog.clear()
    with pytest.raises(Exception, match="BuildError"):
        served.rebuild()
    assert served.full_builds == 4, "the full rebuild reports the error"
    said = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert [m for m in said if "procedures/gaj/jzz.yml:40:9: error: visits (到办事现场次数)" in m] == [said[0]], "once"


def test_the_kept_workspace_finds_what_load_finds_after_each_edit(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    procedures = project / "procedures"
    workspace = Workspace(procedures, project, project / ".cache" / "checked")

    def same() -> list[str]:
        kept, fresh = workspace.load(), load(procedures, project)
        assert kept.diagnostics == fresh.diagnostics
        assert kept.catalog == fresh.catalog
        return [d.code for d in fresh.diagnostics if d.severity == "error"]

    assert same() == []
    edit(
        project, "gaj/csdj.yml", "code: 11000000MB0000007X4000712346203001", "code: 11000000MB0000007X4000712346201001"
    )
    assert same() == ["duplicate_code"], "a problem between two files, one of them unchanged"
    edit(
        project, "gaj/csdj.yml", "code: 11000000MB0000007X4000712346201001", "code: 11000000MB0000007X4000712346203001"
    )
    assert same() == []
    department = procedures / "gaj/department.yml"
    text = department.read_text(encoding="utf-8")
    department.write_text(text.replace("  huzheng:\n", "  huzheng2:\n", 1), encoding="utf-8")
    assert "unknown_position" in same(), "unchanged items naming a position their department no longer has"
    department.write_text(text, encoding="utf-8")
    assert same() == []
    (procedures / "mzj/forms/jhdj-shengming.pdf").unlink()
    assert same() == ["file_missing"], "an unchanged item's form gone from disk"
