"""Run Graphviz: DOT source → inline-ready SVG, cached by content and in parallel.

The cache key is the DOT source, the Graphviz version and the font, so an
unchanged chart never runs ``dot`` again.  ``dot`` runs with a timeout, and a
failure names the item.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .flowchart import FONT

TIMEOUT_SECONDS = 60
FONT_STACK = "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC',sans-serif"


class ChartError(Exception):
    """dot is missing, failed or timed out."""


@dataclass
class ChartStats:
    """What a rendering run did; the benchmark and tests read it."""

    rendered: int = 0
    """How many times dot ran."""
    cached: int = 0
    """How many charts came from the cache."""
    errors: list[str] = field(default_factory=list)


@cache
def dot_version() -> str:
    executable = shutil.which("dot")
    if executable is None:
        raise ChartError(
            "找不到 Graphviz 的 dot 命令。Debian/Ubuntu 请运行：sudo apt-get install graphviz fonts-noto-cjk"
        )
    completed = subprocess.run([executable, "-V"], capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
    return completed.stderr.strip()


def cache_key(dot_source: str) -> str:
    digest = hashlib.sha256()
    for part in (dot_source, dot_version(), FONT):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def cached_svgs(sources: Mapping[str, str], cache_dir: Path | None) -> tuple[dict[str, str], dict[str, str]]:
    """(cached raw SVG, sources not in the cache), both by the sources' keys."""
    hits: dict[str, str] = {}
    misses: dict[str, str] = {}
    for slug, source in sources.items():
        cached = cache_dir / f"{cache_key(source)}.svg" if cache_dir else None
        if cached is not None and cached.is_file():
            hits[slug] = cached.read_text(encoding="utf-8")
        else:
            misses[slug] = source
    return hits, misses


def render_svgs(
    sources: Mapping[str, str],
    cache_dir: Path | None,
    stats: ChartStats | None = None,
    tick: Callable[[int], None] | None = None,
) -> dict[str, str]:
    """Render every DOT source (keyed by item slug) to raw SVG, in parallel, using the cache.

    ``tick(n)`` is told of every n charts done, from worker threads too.
    """
    tick = tick or (lambda _: None)
    stats = stats if stats is not None else ChartStats()
    results, misses = cached_svgs(sources, cache_dir)
    stats.cached += len(results)
    todo = {slug: (source, cache_key(source)) for slug, source in misses.items()}
    tick(len(results))

    def run(item: tuple[str, tuple[str, str]]) -> str:
        svg = _run_dot(*item)
        tick(1)
        return svg

    workers = max(1, os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        rendered = dict(zip(todo, pool.map(run, todo.items()), strict=True))
    for slug, svg in rendered.items():
        stats.rendered += 1
        if cache_dir is not None:
            cache_dir.mkdir(parents=True, exist_ok=True)
            target = cache_dir / f"{todo[slug][1]}.svg"
            temporary = target.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(svg, encoding="utf-8")
            temporary.replace(target)
        results[slug] = svg
    return results


def _run_dot(slug: str, item: tuple[str, str]) -> str:
    source, _ = item
    dot_version()  # a clear message when Graphviz is missing
    try:
        completed = subprocess.run(
            ["dot", "-Tsvg"], input=source, capture_output=True, text=True, timeout=TIMEOUT_SECONDS
        )
    except subprocess.TimeoutExpired as error:
        raise ChartError(f"{slug}: 流程图渲染超时（{TIMEOUT_SECONDS} 秒）") from error
    if completed.returncode != 0:
        raise ChartError(f"{slug}: 流程图渲染失败：{completed.stderr.strip()}")
    return completed.stdout


_PROLOG = re.compile(r"^.*?(?=<svg)", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_NODE_TITLE = re.compile(r"<title>[^<]*</title>\n?")
_FONT = re.compile(r'font-family="[^"]*"')
_SIZE = re.compile(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"')


def inline_svg(svg: str, title: str, description_id: str) -> str:
    """Make dot's SVG fit for inlining: accessible name, font stack, no blank lines."""
    svg = _PROLOG.sub("", svg, count=1)
    svg = _COMMENT.sub("", svg)
    svg = _NODE_TITLE.sub("", svg)
    svg = _FONT.sub(f'font-family="{FONT_STACK}"', svg)
    size = _SIZE.search(svg)
    if size:  # points → CSS pixels, so the chart keeps its natural size and scrolls on phones
        width, height = (round(float(v) * 4 / 3) for v in size.groups())
        svg = _SIZE.sub(f'<svg width="{width}" height="{height}"', svg, count=1)
    accessible = (
        f'<svg role="img" aria-labelledby="{description_id}-title" '
        f'aria-describedby="{description_id}" focusable="false"'
    )
    svg = svg.replace("<svg", accessible, 1)
    head_end = svg.index(">") + 1
    svg = svg[:head_end] + f'<title id="{description_id}-title">{html.escape(title)}</title>' + svg[head_end:]
    return "\n".join(line for line in svg.splitlines() if line.strip())
