"""``python -m generator build``: validate, build into a temporary folder, then swap.

A failed validation or build leaves the previous ``site/`` exactly as it was.
Stages are reported through :mod:`generator.progress`; with the environment
variable ``BANSHI_TIMINGS=FILE`` their durations are written to FILE as JSON
(the benchmark reads them).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from pathlib import Path

from .diagnostics import format_diagnostics, has_errors
from .progress import Progress, reporting
from .validate import Result, load

CHECKED_CACHE = ".cache/checked"
"""Structural checks of unchanged files, relative to the project (see generator/cache.py)."""

_preloaded: dict[Path, Result] = {}
"""Validation results of the running build, by procedures folder, so that the plugin does not validate twice."""


class BuildFailed(Exception):
    """Validation or the MkDocs build failed; the message says why."""


def preloaded(procedures: Path) -> Result | None:
    """The result that the running build already validated for this folder, if any."""
    return _preloaded.get(procedures.resolve())


def build_site(config_file: Path, site_dir: Path | None = None, progress: Progress | None = None) -> Path:
    """Build the site described by ``config_file`` into ``site_dir`` atomically; return it."""
    progress = progress or Progress()
    started = time.perf_counter()
    config_file = config_file.resolve()
    procedures = config_file.parent / "procedures"
    with reporting(progress):
        try:
            with progress.stage("校验") as stage:
                result = _validate_first(config_file.parent)
                stage.advance(result.files)
            _preloaded[procedures.resolve()] = result
            target = _build(config_file, site_dir)
        finally:
            _preloaded.pop(procedures.resolve(), None)
    progress.timings["总计"] = time.perf_counter() - started
    if os.environ.get("BANSHI_TIMINGS"):
        report = {"timings": progress.timings, "counts": progress.counts}
        Path(os.environ["BANSHI_TIMINGS"]).write_text(json.dumps(report, ensure_ascii=False), "utf-8")
    return target


def _build(config_file: Path, site_dir: Path | None) -> Path:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    probe = load_config(str(config_file))
    target = (site_dir or Path(probe.site_dir)).resolve()
    temporary = target.parent / f".{target.name}.building-{os.getpid()}"
    shutil.rmtree(temporary, ignore_errors=True)
    handler = _show_mkdocs_problems()
    try:
        config = load_config(str(config_file), site_dir=str(temporary), strict=True)
        build(config)
    except Exception as error:  # MkDocsException, a plugin error, or a disk problem
        shutil.rmtree(temporary, ignore_errors=True)
        raise BuildFailed(f"MkDocs 构建失败：{error}") from error
    finally:
        logging.getLogger("mkdocs").removeHandler(handler)
    _swap(temporary, target)
    return target


def _validate_first(root: Path) -> Result:
    result = load(root / "procedures", root, cache=root / CHECKED_CACHE)
    if result.catalog is None or has_errors(result.diagnostics):
        raise BuildFailed(format_diagnostics(result.diagnostics, "text") + "\n校验未通过。")
    return result


def _show_mkdocs_problems() -> logging.Handler:
    handler = logging.StreamHandler()
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    logging.getLogger("mkdocs").addHandler(handler)
    return handler


def _swap(new: Path, target: Path) -> None:
    """Replace ``target`` with ``new`` using renames, so readers never see half a site."""
    old = target.parent / f".{target.name}.old-{os.getpid()}"
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)
