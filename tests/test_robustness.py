"""Bad input and a bad set-up never end in a traceback, and what validates builds.

Each kind of input from the list of issue 10 has a test here or a case in
tests/test_invalid_fixtures.py (FIFOs, links, unsafe names, control
characters, deep nesting, huge numbers, impossible dates).  Misuse and set-up
problems end with one Chinese sentence and exit status 2; data problems with
located diagnostics and exit status 1.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

import pytest

from generator.cli import main as cli_main
from generator.load import load
from generator.mkdocs.build import BuildFailed, build_site
from generator.render.graphviz import inline_svg
from generator.render.site import GeneratedSite, Options, write_tree
from generator.speed.generate import Generation, generate
from generator.speed.parallel import Parallel
from generator.speed.progress import Progress

from .conftest import ROOT, VALID, copy_project
from .fuzz import campaign


def run(
    *args: str, cwd: Path, env: dict[str, str] | None = None, prefix: Sequence[str] = ()
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [*prefix, sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **(env or {})},
        timeout=300,
    )
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    return done


def one_sentence(done: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("错误："), done.stderr
    return lines[0]


# Misuse and set-up -------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("validate",),
        ("validate", "--procedures", "nope"),
        ("render", "--out", "out"),
        ("schema",),
        ("codeowners", "--check"),
        ("new", "demo", "x"),
        ("diff", "HEAD~1"),
    ],
)
def test_a_missing_procedures_folder_is_one_sentence(tmp_path: Path, args: tuple[str, ...]) -> None:
    done = run(*args, cwd=tmp_path)
    assert done.returncode == 2
    assert "事项文件夹" in one_sentence(done) and "不存在" in done.stderr


def test_misuse_of_the_command_line(tmp_path: Path) -> None:
    shutil.copytree(VALID, tmp_path / "procedures")
    done = run("validate", "--format", "xml", cwd=tmp_path)
    assert done.returncode == 2 and "错误：命令参数有误" in done.stderr
    done = run("validate", "procedures/demo/nosuch.yml", cwd=tmp_path)
    assert done.returncode == 2 and one_sentence(done) == "错误：找不到 procedures/demo/nosuch.yml。"
    done = run("build", cwd=tmp_path)
    assert done.returncode == 2 and "找不到 MkDocs 配置文件 mkdocs.yml" in done.stderr
    done = run("new", "demo", "Bad_Id", cwd=tmp_path)
    assert done.returncode == 2 and "只能用小写字母" in one_sentence(done)


def test_a_procedures_folder_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "procedures").write_text("x\n", encoding="utf-8")
    done = run("validate", cwd=tmp_path)
    assert done.returncode == 2 and "不是文件夹" in one_sentence(done)


def _world_readable_copy() -> Path:
    """A copy of the fixture tree that another user can walk (pytest's tmp folders are private)."""
    folder = Path(tempfile.mkdtemp(prefix="banshi-perm-", dir="/tmp"))
    folder.chmod(0o755)
    shutil.copytree(VALID, folder / "procedures")
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return folder


def test_unreadable_file_and_folder_are_reported(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("root ignores file permissions, and setpriv is missing to run as another user")
        prefix: list[str] = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    else:
        prefix = []
    folder = _world_readable_copy()
    try:
        (folder / "procedures/demo/parallel.yml").chmod(0)
        (folder / "procedures/other").chmod(0)
        done = run("validate", cwd=folder, prefix=prefix, env={"HOME": str(folder)})
    finally:
        (folder / "procedures/other").chmod(0o755)
        shutil.rmtree(folder)
    assert done.returncode == 1
    assert "procedures/demo/parallel.yml:0:0: error: 文件: 无法读取：没有读取权限" in done.stdout
    assert "procedures/other:0:0: error: 文件: 无法读取：没有读取权限" in done.stdout


def test_a_1_gib_file_is_refused_by_its_size_before_reading(tree: Path) -> None:
    huge = tree / "demo" / "huge.yml"
    with huge.open("wb") as stream:
        stream.truncate(1 << 30)  # sparse: takes no disk space
    result = load(tree, tree.parent)
    [diagnostic] = [d for d in result.diagnostics if d.file.endswith("huge.yml")]
    assert diagnostic.code == "too_large" and str(1 << 30) in diagnostic.message


def test_a_terminal_that_cannot_show_chinese_gets_escapes(tree: Path) -> None:
    item = tree / "demo" / "minimal.yml"
    item.write_text(item.read_text(encoding="utf-8").replace("kind: 承诺件", "kind: 承诺"), encoding="utf-8")
    done = run("validate", cwd=tree.parent, env={"PYTHONIOENCODING": "ascii"})
    assert done.returncode == 1
    assert "kind (\\u529e\\u4ef6\\u7c7b\\u578b)" in done.stdout


def test_a_value_with_line_breaks_stays_on_one_line(tree: Path) -> None:
    item = tree / "demo" / "minimal.yml"
    item.write_text(
        item.read_text(encoding="utf-8").replace("kind: 承诺件", 'kind: "承诺\\n件\\r\\u2028"'), encoding="utf-8"
    )
    done = run("validate", cwd=tree.parent)
    [line] = done.stdout.splitlines()
    assert '"承诺\\n件\\r\\u2028" 不是允许的取值' in line


def test_attributes_built_from_names_are_escaped() -> None:
    svg = inline_svg('<svg width="10pt" height="10pt"><g/></svg>', "<标题>", 'q" onload="alert(1)')
    assert "onload=" not in svg.replace("&quot; onload=&quot;", "")
    ET.fromstring(svg)  # still well-formed


# Structure ----------------------------------------------------------------------------


def chain(tree: Path, steps: int) -> None:
    """Replace the minimal item's flow with a chain of ``steps`` steps."""
    item = tree / "demo" / "minimal.yml"
    text = item.read_text(encoding="utf-8")
    flow = "".join(
        f"  - id: s{i}\n    name: 环节{i}\n    position: shenhe\n    time: 0.01个工作日\n    does: 办理。\n    next: s{i + 1}\n"
        for i in range(steps)
    )
    head = text[: text.index("steps:")].replace("committed: 5个工作日", "committed: 15个工作日")
    item.write_text(f"{head}steps:\n{flow}  - id: s{steps}\n    name: 办结\n    end: 办结\n", encoding="utf-8")


def test_a_thousand_step_chain_validates_and_builds(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    shutil.rmtree(project / "procedures")
    shutil.copytree(VALID, project / "procedures")
    chain(project / "procedures", 1000)
    site = build_site(project / "mkdocs.yml", progress=Progress.silent())
    ET.parse(site / "items/demo/minimal.svg")
    assert "环节999" in (site / "items/demo/minimal/index.html").read_text(encoding="utf-8")


ODD = {
    "name: 示范许可\n": 'name: "示范许可‏\u202b𠀀𪚥😀 ‮ (RTL)‬ <>&\\"\'"\n',
    "  - 符合条件。\n": "  - " + "很长的受理条件，" * 60 + "\n",
    "    source: 申请人自备\n": '    source: "𠀀𠀁 申请人自备 🙂 ‏"\n',
}


def test_odd_but_legal_content_builds_with_well_formed_svg(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    shutil.rmtree(project / "procedures")
    shutil.copytree(VALID, project / "procedures")
    item = project / "procedures/demo/minimal.yml"
    text = item.read_text(encoding="utf-8")
    for old, new in ODD.items():
        assert old in text
        text = text.replace(old, new)
    item.write_text(text, encoding="utf-8")
    wide = project / "procedures/demo/parallel.yml"
    wide.write_text(_many_branches(wide.read_text(encoding="utf-8"), 12), encoding="utf-8")
    assert load(project / "procedures", project).diagnostics == []
    site = build_site(project / "mkdocs.yml", progress=Progress.silent())
    for svg in (site / "items").rglob("*.svg"):
        ET.parse(svg)
    page = (site / "items/demo/minimal/index.html").read_text(encoding="utf-8")
    assert "𪚥😀" in page


def _many_branches(text: str, count: int) -> str:
    """The parallel item with ``count`` parallel branches between 受理 and 决定."""
    branches = "".join(
        f"  - id: b{i}\n    name: 并联审查{i}\n    position: shenhe\n    time: 1个工作日\n    does: 审查。\n    next: jueding\n"
        for i in range(count)
    )
    text = text.replace(
        "    next: [shenhe, xieban]\n", "    next: [shenhe, xieban, " + ", ".join(f"b{i}" for i in range(count)) + "]\n"
    )
    return text.replace("  - id: jueding\n", branches + "  - id: jueding\n")


def test_the_fuzzer_finds_no_crash_or_hang() -> None:
    """A bounded, seeded run; ``python -m tests.fuzz --cases 3200`` runs a long one."""
    assert campaign(120, seed=2026) == []


# The build's settings and failure paths ------------------------------------------------


def test_build_reads_the_plugin_settings_from_mkdocs_yml(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    (project / "procedures").rename(project / "data")
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "      procedures: procedures", "      procedures: data\n      cache_dir: .mine"
        ),
        encoding="utf-8",
    )
    done = run("build", cwd=project)
    assert done.returncode == 0, done.stderr
    assert (project / "site/items/zjj/sgxk/index.html").is_file()
    assert (project / ".mine/charts").is_dir() and not (project / ".cache").exists()


def test_mkdocs_build_on_invalid_data_fails_without_a_traceback(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    item = project / "procedures/zjj/sgxk.yml"
    item.write_text(item.read_text(encoding="utf-8").replace("kind: 承诺件", "kind: 承诺"), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(tmp_path / "out")],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert "sgxk.yml:" in done.stderr and "kind (办件类型)" in done.stderr and "校验未通过，网站未构建" in done.stderr
    assert "Traceback" not in done.stderr


def _path_without(command: str, tmp_path: Path, replacement: str | None = None) -> str:
    """A PATH with every tool but ``command`` (replaced by a script when given)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for folder in os.environ["PATH"].split(os.pathsep):
        for tool in Path(folder).glob("*") if Path(folder).is_dir() else []:
            if tool.name != command and not (bin_dir / tool.name).exists():
                (bin_dir / tool.name).symlink_to(tool)
    if replacement is not None:
        fake = bin_dir / command
        fake.write_text(replacement, encoding="utf-8")
        fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    return str(bin_dir)


@pytest.mark.parametrize(
    ("replacement", "said"),
    [
        (None, "找不到 Graphviz 的 dot 命令"),
        (
            "#!/bin/sh\nif [ \"$1\" = -V ]; then echo 'dot - graphviz version 0.0' >&2; exit 0; fi\necho 崩溃 >&2\nexit 3\n",
            "流程图渲染失败：崩溃",
        ),
    ],
)
def test_graphviz_missing_or_failing_leaves_the_site_untouched(
    tmp_path: Path, replacement: str | None, said: str
) -> None:
    project = copy_project(tmp_path / "project")
    assert run("build", cwd=project).returncode == 0
    before = sorted(p.relative_to(project / "site").as_posix() for p in (project / "site").rglob("*"))
    shutil.rmtree(project / ".cache")
    done = run("build", cwd=project, env={"PATH": _path_without("dot", tmp_path, replacement)})
    assert done.returncode == 2 and said in done.stderr and "原有网站保持不变" in done.stderr
    assert sorted(p.relative_to(project / "site").as_posix() for p in (project / "site").rglob("*")) == before


def test_forked_workers_build_the_same_files_as_one_process(tmp_path: Path) -> None:
    result = load(ROOT / "procedures", ROOT, parallel=Parallel(threshold=1, workers=2))
    assert result.catalog is not None and result.diagnostics == []
    serial, forked = (
        generate(
            result.catalog,
            ROOT / "procedures",
            Generation(Options(), cache=tmp_path / name, parallel=p),
            Progress.silent(),
        )
        for name, p in (("one", Parallel(threshold=10_000)), ("two", Parallel(threshold=1, workers=2)))
    )
    trees = [_written(site, tmp_path / f"tree-{n}") for n, site in enumerate((serial, forked))]
    assert trees[0] == trees[1] and len(trees[0]) > 100


def _written(site: GeneratedSite, folder: Path) -> dict[str, bytes]:
    write_tree(site, folder)
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_pages_without_directory_urls_link_correctly(tmp_path: Path) -> None:
    from .test_site import _AssetFinder

    project = copy_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "use_directory_urls: false\n", encoding="utf-8")
    site = build_site(config, progress=Progress.silent())
    page = site / "items/zjj/sgxk.html"
    assert page.is_file()
    pages = [page, site / "departments/zjj.html", site / "guide/index.html", site / "print/zjj/sgxk/notice.html"]
    pages.append(site / "stats.html")  # a page at the root links from the root
    for html in pages:
        finder = _AssetFinder()
        finder.feed(html.read_text(encoding="utf-8"))
        for href in finder.links:
            if not re.match(r"^([a-z]+:|#)", href):
                assert (html.parent / href.split("#")[0]).resolve().is_file(), f"{html}: {href}"
    summary = site / "check/index.html"
    assert not summary.exists()
    cli_main(["check", "--site", str(site), "--procedures", str(project / "procedures")])  # 1: no git, no dates
    assert "网站自检报告" in summary.read_text(encoding="utf-8")
    assert '<a href="check/index.html">网站自检报告</a>' in (site / "stats.html").read_text(encoding="utf-8")


def test_a_failed_build_never_damages_the_site_built_before(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    build_site(project / "mkdocs.yml", progress=Progress.silent())
    (project / "procedures/site.yml").unlink()
    with pytest.raises(BuildFailed, match=r"缺少 site\.yml"):
        build_site(project / "mkdocs.yml", progress=Progress.silent())
    assert (project / "site/items/zjj/sgxk/index.html").is_file()
