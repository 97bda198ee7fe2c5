"""The fonts of the charts: Graphviz lays out with one installed CJK font, pages show a stack."""

FONT = "Noto Sans CJK SC"
"""The font dot measures text with (Debian: fonts-noto-cjk); part of the chart cache key."""
FONT_STACK = "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC',sans-serif"
"""What browsers use for chart text."""
