"""The SVG cache: a chart is rendered by dot only when its DOT source, Graphviz version or font is new.

Charts missing from the cache are rendered in parallel, one dot process per
core (threads wait on the processes), and written to the cache atomically.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..render.fonts import FONT
from ..render.graphviz import dot_version, run_dot
from .cache import write_atomically


@dataclass
class ChartStats:
    """What a rendering run did; the benchmark and tests read it."""

    rendered: int = 0
    """How many times dot ran."""
    cached: int = 0
    """How many charts came from a cache."""


def svg_key(dot_source: str) -> str:
    digest = hashlib.sha256()
    for part in (dot_source, dot_version(), FONT):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def cached_svgs(sources: Mapping[str, str], folder: Path | None) -> tuple[dict[str, str], dict[str, str]]:
    """(cached raw SVG, sources not in the cache), both by the sources' keys."""
    hits: dict[str, str] = {}
    misses: dict[str, str] = {}
    for name, source in sources.items():
        cached = folder / f"{svg_key(source)}.svg" if folder else None
        with contextlib.suppress(OSError):
            hits[name] = cached.read_text(encoding="utf-8") if cached else ""
        if not hits.get(name):
            hits.pop(name, None)
            misses[name] = source
    return hits, misses


def render_svgs(
    sources: Mapping[str, str],
    folder: Path | None,
    stats: ChartStats,
    tick: Callable[[int], None] = lambda _: None,
    each: Callable[[str, str], None] | None = None,
) -> dict[str, str]:
    """Render every DOT source (keyed by item slug) to raw SVG, in parallel, using the cache; with ``each``, each
    SVG is handed to ``each(slug, svg)`` as it is done and none is returned (10,000 charts are 300 MB).

    ``tick(n)`` is told of every n charts done, from worker threads too.
    """
    results, misses = cached_svgs(sources, folder)
    stats.cached += len(results)
    tick(len(results))
    done = each or results.__setitem__
    if each is not None:
        for name, svg in results.items():
            each(name, svg)
        results = {}

    def run(item: tuple[str, str]) -> tuple[str, str]:
        svg = run_dot(*item)
        tick(1)
        return item[0], svg

    with ThreadPoolExecutor(max_workers=max(1, os.cpu_count() or 1)) as pool:
        for name, svg in pool.map(run, misses.items()):
            stats.rendered += 1
            if folder is not None:
                with contextlib.suppress(OSError):
                    write_atomically(folder / f"{svg_key(misses[name])}.svg", svg)
            done(name, svg)
    return results
