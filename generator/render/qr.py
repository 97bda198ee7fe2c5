"""QR codes for printed forms: the item's public address, as inline SVG (segno; no image, no request)."""

from __future__ import annotations

import html

import segno


def qr_svg(url: str) -> str:
    """An SVG QR code of ``url`` with an accessible name, scaled by CSS."""
    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(scale=1, border=2, omitsize=True)
    label = html.escape(f"二维码：{url}", quote=True)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
