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

from .build import preloaded
from .diagnostics import has_errors
from .history import collect
from .progress import current
from .site import GeneratedSite, Options, generate
from .validate import load

log = get_plugin_logger(__name__)


class ProceduresConfig(base.Config):  # type: ignore[no-untyped-call]
    """Options of the ``banshi`` plugin in mkdocs.yml."""

    procedures = c.Dir(exists=True, default="procedures")
    """The folder of procedure YAML files, relative to mkdocs.yml."""
    cache_dir = c.Type(str, default=".cache/charts")
    """Where rendered SVG charts are cached, relative to mkdocs.yml; checked files and pages go beside it."""


class ProceduresPlugin(BasePlugin[ProceduresConfig]):  # type: ignore[no-untyped-call]
    site: GeneratedSite | None = None

    def on_files(self, files: Files, /, *, config: Any) -> Files:
        procedures = Path(self.config.procedures)
        root = Path(config.config_file_path).resolve().parent
        caches = root / Path(self.config.cache_dir).parent
        result = preloaded(root / procedures) or load(root / procedures, root, cache=caches / "checked")
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
            page_cache=caches / "pages",
        )
        site = generate(result.catalog, procedures, options)
        self.site = site
        for path, text in {**site.pages, **site.assets}.items():
            files.append(File.generated(config, path, content=text))
        for path, source in site.copies.items():
            files.append(File.generated(config, path, abs_src_path=str(source)))
        current().start("MkDocs 渲染", sum(1 for f in files if f.is_documentation_page()))
        return files

    def on_page_content(self, html: str, /, *, page: Any, config: Any, files: Any) -> str:
        """Put a page's indexed HTML parts back, before the search plugin reads the page."""
        return self.site.fill_early(page.file.src_uri, html) if self.site else html

    def on_post_page(self, output: str, /, *, page: Any, config: Any) -> str:
        """Put the rest of a page (charts, steps, contacts…) in, after Markdown and the search index have seen it."""
        current().advance("MkDocs 渲染")
        return self.site.fill_late(page.file.src_uri, output) if self.site else output

    def on_post_build(self, *, config: Any) -> None:
        current().finish("MkDocs 渲染")

    def on_serve(self, server: Any, /, *, config: Any, builder: Any) -> Any:
        server.watch(self.config.procedures)
        return server
