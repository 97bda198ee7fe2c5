"""The MkDocs edge: the only package that imports ``mkdocs`` (the plugin, and the atomic ``build``)."""
