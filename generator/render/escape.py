"""Escaping of untrusted text for the formats we write that have no autoescape."""

from __future__ import annotations

import html
import re

from markupsafe import Markup

_MARKDOWN_SPECIALS = frozenset("\\`*_{}[]()#+-.!|")


def markdown_text(value: str) -> Markup:
    """Text for a Markdown context (headings, reports): punctuation backslashed, then HTML-escaped."""
    backslashed = "".join(f"\\{c}" if c in _MARKDOWN_SPECIALS else c for c in value)
    return Markup(html.escape(backslashed, quote=False))


_NOT_IN_ANCHOR = re.compile(r"[^\w]+")


def anchor(text: str) -> str:
    """A stable, readable heading id from any text: letters of any script and digits kept, runs of anything
    else one hyphen (``就业创业``, ``市场监管局``), as the Markdown slugifier does for hand-written pages."""
    return _NOT_IN_ANCHOR.sub("-", text.lower()).strip("-_") or "section"
