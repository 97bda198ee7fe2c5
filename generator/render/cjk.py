"""A Markdown extension for Chinese prose: a line break in the source between two Chinese characters is
not a space.

Hand-written pages wrap long paragraphs over several source lines.  Markdown
keeps each line break as whitespace, which browsers show as a half-width
space between two Chinese sentences (“渠道。 每个”).  This postprocessor
removes such breaks where both neighbours are wide (CJK) characters, also
across inline tags; breaks next to Latin letters or digits stay spaces, and
code blocks are left alone.  mkdocs.yml: ``markdown_extensions: [generator.render.cjk]``.
"""

from __future__ import annotations

import re
from typing import Any

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor

WIDE = (
    r"[\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
    r"\u2018-\u201d\u2026\u2014]"
)
"""CJK ideographs, CJK and full-width punctuation, Chinese quotation marks, ellipsis and dash."""
_TAGS = r"(?:</?[A-Za-z][^>]*>)*"
_BREAK = re.compile(rf"(?<={WIDE})({_TAGS})[ \t]*\n[ \t]*(?={_TAGS}{WIDE})")
_CODE = re.compile(r"(<pre[\s>].*?</pre>|<code[\s>].*?</code>)", re.S)


def join_wide_lines(html: str) -> str:
    """``html`` without the line breaks between two wide characters, outside ``pre`` and ``code``."""
    parts = _CODE.split(html)
    return "".join(part if index % 2 else _BREAK.sub(r"\1", part) for index, part in enumerate(parts))


class _Join(Postprocessor):  # type: ignore[misc]
    def run(self, text: str) -> str:
        return join_wide_lines(text)


class CjkExtension(Extension):  # type: ignore[misc]
    def extendMarkdown(self, md: Markdown) -> None:
        md.postprocessors.register(_Join(md), "banshi_cjk", 5)


def makeExtension(**kwargs: Any) -> CjkExtension:
    return CjkExtension(**kwargs)
