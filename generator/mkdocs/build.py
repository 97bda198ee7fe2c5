"""``python -m generator build``: prepare the generated site (:func:`generator.prepare.prepare`), run MkDocs into a
temporary folder, then swap.

A failed validation or build leaves the previous ``site/`` exactly as it was.
The plugin's settings (``procedures``, ``cache_dir``) are read from mkdocs.yml,
so ``mkdocs build`` and ``generator build`` always agree about where the data
is.  With ``BANSHI_TIMINGS=FILE`` the stages' durations are written to FILE as
JSON (the benchmark reads them).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic, format_diagnostics
from ..prepare import VALIDATION, prepare
from ..records import RecordsResult
from ..render.site import GeneratedSite
from ..speed.progress import Progress
from .plugin import NAME, ProceduresPlugin, sources_of

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


class BuildFailed(Exception):
    """Validation or the MkDocs build failed; the message says why."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status
        """1 for problems of the content, 2 for problems of the set-up."""


def build_site(config_file: Path, site_dir: Path | None = None, progress: Progress | None = None) -> Path:
    """Validate, generate and build the site described by ``config_file`` into ``site_dir`` atomically."""
    progress = progress or Progress()
    started = time.perf_counter()
    config = _config(config_file)
    plugin = config.plugins.get(NAME)
    if not isinstance(plugin, ProceduresPlugin):
        raise BuildFailed(f"{config_file} 中没有启用 {NAME} 插件（plugins: - {NAME}）", 2)
    prepared = prepare(sources_of(config, plugin.config), progress)
    failure = prepared.failure
    if failure is None or failure.stage != VALIDATION:  # a failed validation shows its warnings with its errors
        _report_warnings(list(prepared.diagnostics), progress)
    if failure is None and prepared.records is not None:
        _report_records(prepared.records, progress)
    if failure is not None or prepared.site is None:
        raise BuildFailed(failure.text() if failure else "网站未构建。", failure.status if failure else 1)
    target = (site_dir or Path(config.site_dir)).resolve()
    _mkdocs(config, plugin, prepared.site, progress, target)
    progress.timings["总计"] = time.perf_counter() - started
    if os.environ.get("BANSHI_TIMINGS"):
        report = {"timings": progress.timings, "counts": progress.counts, "peaks": progress.peaks}
        Path(os.environ["BANSHI_TIMINGS"]).write_text(json.dumps(report, ensure_ascii=False), "utf-8")
    return target


def _mkdocs(
    config: MkDocsConfig, plugin: ProceduresPlugin, site: GeneratedSite, progress: Progress, target: Path
) -> None:
    """Run MkDocs into a temporary folder beside ``target``, then swap it in."""
    from mkdocs.commands.build import build

    temporary = target.parent / f".{target.name}.building-{os.getpid()}"
    shutil.rmtree(temporary, ignore_errors=True)
    config.site_dir = str(temporary)
    # As `mkdocs build` starts: a plugin that MkDocs keeps in the process (one with this event) starts afresh.
    config.plugins.on_startup(command="build", dirty=False)
    plugin.prepared, plugin.progress = site, progress
    handler = _show_mkdocs_problems()
    try:
        build(config)
    except Exception as error:  # MkDocsException, a plugin error, or a disk problem
        shutil.rmtree(temporary, ignore_errors=True)
        raise BuildFailed(f"MkDocs 构建失败：{error}") from error
    finally:
        plugin.prepared = plugin.progress = None
        logging.getLogger("mkdocs").removeHandler(handler)
        config.plugins.on_shutdown()
    _swap(temporary, target)


SHOWN_WARNINGS = 10
"""Record problems shown in the build log (all of them: python -m generator records)."""
SHOWN_PER_KIND = 3
"""Validation warnings shown in the build log for each kind (all of them: python -m generator validate)."""


def _report_records(records: RecordsResult, progress: Progress) -> None:
    """How many case rows were wrong and left out, and the first few problems (all of them: records check)."""
    problems = records.diagnostics
    if not problems:
        return
    errors = [d for d in problems if d.severity == "error"]
    totals = records.aggregates
    left_out = f"，{totals.rejected:,} 行有误未计入" if totals and totals.rejected else ""
    counts = f"{len(errors)} 个错误、{len(problems) - len(errors)} 个警告{left_out}"
    progress.say(f"办件记录：{counts}（全部问题：python -m generator records check）")
    progress.say(format_diagnostics(problems[:SHOWN_WARNINGS], "text"))


def _report_warnings(diagnostics: list[Diagnostic], progress: Progress) -> None:
    """How many warnings there are of each kind, then the first few of each kind; they do not stop the build."""
    if not diagnostics:
        return
    kinds: dict[str, list[Diagnostic]] = {}
    for diagnostic in diagnostics:
        kinds.setdefault(diagnostic.code, []).append(diagnostic)
    ordered = sorted(kinds.items(), key=lambda kind: -len(kind[1]))
    counts = "、".join(f"{code} {len(found)} 个" for code, found in ordered)
    cut = any(len(found) > SHOWN_PER_KIND for found in kinds.values())
    shown = f"；每类前 {SHOWN_PER_KIND} 个如下（全部警告：python -m generator validate）" if cut else "："
    progress.say(f"校验：{len(diagnostics)} 个警告（{counts}）{shown}")
    first = [d for _, found in ordered for d in found[:SHOWN_PER_KIND]]
    progress.say(format_diagnostics(first, "text"))


def _config(config_file: Path) -> MkDocsConfig:
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    if not config_file.is_file():
        raise BuildFailed(f"找不到 MkDocs 配置文件 {config_file}", 2)
    try:
        return load_config(str(config_file.resolve()), strict=True)
    except ConfigurationError as error:
        raise BuildFailed(f"{config_file} 有误：{error}", 2) from error


def _show_mkdocs_problems() -> logging.Handler:
    handler = logging.StreamHandler()
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    logging.getLogger("mkdocs").addHandler(handler)
    return handler


def _swap(new: Path, target: Path) -> None:
    """Replace ``target`` with ``new`` using renames, so readers never see half a site.  The old site is deleted
    by a detached process: removing tens of thousands of files took a fifth of a warm build of 10,000 items."""
    old = target.parent / f".{target.name}.old-{os.getpid()}"
    if target.exists():
        target.rename(old)
    new.rename(target)
    if old.exists():
        _delete_later(old)


def _delete_later(folder: Path) -> None:
    """Remove ``folder`` in a process that outlives this one (a shell starts it and returns at once, so nothing is
    left to wait for), or here if that cannot start."""
    script = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"
    background = '"$0" -c "$1" "$2" </dev/null >/dev/null 2>&1 &'
    try:
        subprocess.run(["sh", "-c", background, sys.executable, script, str(folder)], check=True)
    except (OSError, subprocess.CalledProcessError):
        shutil.rmtree(folder, ignore_errors=True)
