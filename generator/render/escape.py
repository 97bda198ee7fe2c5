"""Escaping of untrusted text for the formats we write that have no autoescape."""

from __future__ import annotations

import html

from markupsafe import Markup

_MARKDOWN_SPECIALS = frozenset("\\`*_{}[]()#+-.!|")


def markdown_text(value: str) -> Markup:
    """Text for a Markdown context (headings, reports): punctuation backslashed, then HTML-escaped."""
    backslashed = "".join(f"\\{c}" if c in _MARKDOWN_SPECIALS else c for c in value)
    return Markup(html.escape(backslashed, quote=False))
