"""Run Graphviz: DOT source → SVG, and that SVG made fit for inlining in a page.

``dot`` runs with a timeout, and every failure (missing, failing, timing out)
is a :class:`ChartError` that names the item; the build reports it in one line.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from functools import cache

from .fonts import FONT_STACK

TIMEOUT_SECONDS = 60
INSTALL = "Debian/Ubuntu 请运行：sudo apt-get install graphviz fonts-noto-cjk"


class ChartError(Exception):
    """dot is missing, failed or timed out."""


@cache
def dot_version() -> str:
    """``dot -V``; raises :class:`ChartError` when Graphviz is missing."""
    executable = shutil.which("dot")
    if executable is None:
        raise ChartError(f"找不到 Graphviz 的 dot 命令。{INSTALL}")
    try:
        completed = subprocess.run([executable, "-V"], capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ChartError(f"无法运行 Graphviz 的 dot 命令：{error}") from error
    return completed.stderr.strip()


def run_dot(name: str, source: str) -> str:
    """The SVG of one DOT source; ``name`` (the item) is named in errors."""
    dot_version()  # a clear message when Graphviz is missing
    try:
        completed = subprocess.run(
            ["dot", "-Tsvg"], input=source, capture_output=True, text=True, timeout=TIMEOUT_SECONDS
        )
    except subprocess.TimeoutExpired as error:
        raise ChartError(f"{name}: 流程图渲染超时（{TIMEOUT_SECONDS} 秒）") from error
    except OSError as error:
        raise ChartError(f"{name}: 无法运行 dot：{error}") from error
    if completed.returncode != 0 or "<svg" not in completed.stdout:
        raise ChartError(f"{name}: 流程图渲染失败：{completed.stderr.strip()[:500]}")
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
    if size:  # points → rem (the theme's root font is 20 px): natural size, and it grows with 大字 (a larger root)
        width = float(size.group(1)) * 4 / 3 / 20
        svg = _SIZE.sub(f'<svg style="width: {width:.2f}rem; height: auto"', svg, count=1)
    ident = html.escape(description_id, quote=True)
    accessible = f'<svg role="img" aria-labelledby="{ident}-title" aria-describedby="{ident}" focusable="false"'
    svg = svg.replace("<svg", accessible, 1)
    head_end = svg.index(">") + 1
    svg = svg[:head_end] + f'<title id="{ident}-title">{html.escape(title)}</title>' + svg[head_end:]
    return "\n".join(line for line in svg.splitlines() if line.strip())
