"""The MkDocs plugin: a thin wrapper that adds the generated pages to the build.

All work is done by :func:`generator.validate.load` and
:func:`generator.site.generate`, which the CLI and the tests call directly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files

from .diagnostics import has_errors
from .history import collect
from .site import Options, generate
from .validate import load

log = get_plugin_logger(__name__)


class ProceduresConfig(base.Config):  # type: ignore[no-untyped-call]
    """Options of the ``banshi`` plugin in mkdocs.yml."""

    procedures = c.Dir(exists=True, default="procedures")
    """The folder of procedure YAML files, relative to mkdocs.yml."""
    cache_dir = c.Type(str, default=".cache/charts")
    """Where rendered SVG charts are cached, relative to mkdocs.yml."""


class ProceduresPlugin(BasePlugin[ProceduresConfig]):  # type: ignore[no-untyped-call]
    def on_files(self, files: Files, /, *, config: Any) -> Files:
        procedures = Path(self.config.procedures)
        root = Path(config.config_file_path).resolve().parent
        result = load(procedures, root)
        for diagnostic in result.diagnostics:
            if diagnostic.severity == "error":
                log.error(diagnostic.text())
            else:
                log.info(diagnostic.text())
        if result.catalog is None or has_errors(result.diagnostics):
            raise PluginError("procedures/ 校验失败，网站未构建。请先运行 python -m generator validate。")
        options = Options(
            cache_dir=root / self.config.cache_dir,
            directory_urls=config.use_directory_urls,
            history=collect(root / procedures),
            site_url=config.site_url or "",
        )
        site = generate(result.catalog, procedures, options)
        for path, text in {**site.pages, **site.assets}.items():
            files.append(File.generated(config, path, content=text))
        for path, source in site.copies.items():
            files.append(File.generated(config, path, abs_src_path=str(source)))
        return files

    def on_serve(self, server: Any, /, *, config: Any, builder: Any) -> Any:
        server.watch(self.config.procedures)
        return server
