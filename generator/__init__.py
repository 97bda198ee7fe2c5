"""办事指南生成器: validate procedure YAML files and publish them as a static site.

The pipeline reads as ``load`` (validate → model) → ``render`` (pages, charts)
→ MkDocs (or any MkDocs-compatible builder) for the HTML.
"""

from __future__ import annotations

from .diagnostics import Diagnostic
from .model import Catalog, Procedure
from .validate import Result, load

__all__ = ["Catalog", "Diagnostic", "Procedure", "Result", "load"]
__version__ = "0.1.0"
