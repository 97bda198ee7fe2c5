"""``python -m generator build``: validate, build into a temporary folder, then swap.

A failed validation or build leaves the previous ``site/`` exactly as it was.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from .diagnostics import format_diagnostics, has_errors
from .validate import load


class BuildFailed(Exception):
    """Validation or the MkDocs build failed; the message says why."""


def build_site(config_file: Path, site_dir: Path | None = None) -> Path:
    """Build the site described by ``config_file`` into ``site_dir`` atomically; return it."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config_file = config_file.resolve()
    root = config_file.parent
    _validate_first(root)
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


def _validate_first(root: Path) -> None:
    result = load(root / "procedures", root)
    if result.catalog is None or has_errors(result.diagnostics):
        raise BuildFailed(format_diagnostics(result.diagnostics, "text") + "\n校验未通过。")


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
