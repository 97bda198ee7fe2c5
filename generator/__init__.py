"""办事指南生成器: validate procedure YAML files and publish them as a static site.

The pipeline: :func:`load` (read → check → assemble → rules) →
:func:`generate` (charts, pages, open data) → MkDocs (or any MkDocs-compatible
builder, through ``render --out``) for the HTML.
"""

from __future__ import annotations

from .diagnostics import Diagnostic
from .load import Result, load
from .model import Catalog, Procedure

__all__ = ["Catalog", "Diagnostic", "Procedure", "Result", "load"]
__version__ = "0.2.0"
