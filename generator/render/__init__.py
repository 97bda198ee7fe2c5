"""Rendering: the model → pages (Markdown with set-aside HTML), DOT and SVG charts, open data.  No MkDocs, no cache."""
