"""Read one YAML file safely into a node tree, reporting every problem of its shape.

Encoding, size, tabs, syntax, documents, anchors and duplicate keys are checked
here, before any field is looked at.  The result keeps YAML nodes, whose marks
give the line and column of every value.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..diagnostics import Diagnostic

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 20
"""Deepest nesting accepted; items need 6 levels (steps → a step → outcomes → an outcome → its keys)."""
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser when PyYAML has it: about ten times faster than the pure-Python one."""
MERGE_TAG = "tag:yaml.org,2002:merge"


@dataclass
class SourceFile:
    """A YAML file and what was found while reading it."""

    path: str
    """Display path, relative to the repository root."""
    root: Node | None = None
    """The document's root node; None when the file could not be read."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    """Problems of the file's encoding and shape."""

    def error(self, line: int, column: int, key: str, title: str, code: str, **values: object) -> None:
        """Record an error at a key path, or (``key`` empty) about an aspect of the file named by ``title``."""
        self.diagnostics.append(Diagnostic.of(self.path, (line, column), key, title, code, **values))


def parse_yaml(data: bytes, display: str) -> SourceFile:
    """Check the bytes of a YAML file (from disk or from git); in order: size, encoding, tabs, syntax,
    depth, documents, anchors, keys."""
    source = SourceFile(display)
    if len(data) > MAX_BYTES:
        source.error(0, 0, "", "文件", "too_large", size=len(data))
        return source
    text = _decode(data, source)
    if text is None or _has_tab_indent(text, source):
        return source
    source.root = _compose(text, source)
    if source.root is not None and _too_deep(source.root, source):
        source.root = None
    if source.root is not None:
        fatal = _check_keys(source.root, source)
        # Duplicate keys are reported and the file is still checked; merge keys
        # and non-text keys change what the mapping means, so they stop it.
        if fatal:
            source.root = None
    return source


def _decode(data: bytes, source: SourceFile) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        offset = error.start
    try:
        data.decode("gbk")
    except UnicodeDecodeError:
        source.error(*_line_of_offset(data, offset), "", "编码", "not_utf8", offset=offset + 1)
    else:
        source.error(*_line_of_offset(data, offset), "", "编码", "gbk")
    return None


def _line_of_offset(data: bytes, offset: int) -> tuple[int, int]:
    before = data[:offset]
    line = before.count(b"\n") + 1
    column = offset - (before.rfind(b"\n") + 1) + 1
    return line, column


def _has_tab_indent(text: str, source: SourceFile) -> bool:
    found = False
    for number, line in enumerate(text.splitlines(), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent and line.strip():
            source.error(number, indent.index("\t") + 1, "", "缩进", "tab_indent")
            found = True
    return found


def _compose(text: str, source: SourceFile) -> Node | None:
    """Refuse anchors and extra documents (from the events), then compose."""
    try:
        if _may_have_anchors_or_documents(text):
            _check_events(_events(text), source)
            if source.diagnostics:
                return None
        root = _compose_root(text)
    except yaml.MarkedYAMLError as error:
        where = _where_it_starts(error)
        line, column = (where.line + 1, where.column + 1) if where else (0, 0)
        if "nesting depth" in str(error.problem):
            source.error(line, column, "", "文件", "too_deep", limit=MAX_DEPTH)
        else:
            source.error(line, column, "", "YAML 语法", "syntax", problem=_problem_text(error))
        return None
    except yaml.reader.ReaderError as error:  # a character that YAML does not allow anywhere
        line, column = _line_of_offset(text.encode("utf-8", "surrogatepass"), len(text[: error.position].encode()))
        char = f"U+{error.character:04X}" if isinstance(error.character, int) else repr(error.character)
        source.error(line, column, "", "文件", "control_character", char=char, offset=error.position + 1)
        return None
    except RecursionError:  # the pure-Python parser on nesting that libyaml would have refused
        source.error(1, 1, "", "文件", "too_deep", limit=MAX_DEPTH)
        return None
    if root is None or (isinstance(root, ScalarNode) and root.value == ""):
        source.error(1, 1, "", "文件", "empty")
        return None
    return root


def _too_deep(root: Node, source: SourceFile) -> bool:
    """Report nesting deeper than :data:`MAX_DEPTH`, walking iteratively (the later checks recurse)."""
    todo: list[tuple[Node, int]] = [(root, 1)]
    while todo:
        node, depth = todo.pop()
        if depth > MAX_DEPTH:
            mark = node.start_mark
            source.error(mark.line + 1, mark.column + 1, "", "文件", "too_deep", limit=MAX_DEPTH)
            return True
        if isinstance(node, SequenceNode):
            todo.extend((child, depth + 1) for child in node.value)
        elif isinstance(node, MappingNode):
            todo.extend((child, depth + 1) for pair in node.value for child in pair)
    return False


def _may_have_anchors_or_documents(text: str) -> bool:
    """Whether the event pass can find anything; most files have none of these characters, and skip it."""
    return "&" in text or "*" in text or "---" in text or "..." in text


def _check_events(events: list[yaml.Event], source: SourceFile) -> None:
    documents = [e for e in events if isinstance(e, yaml.DocumentStartEvent)]
    if len(documents) > 1:
        second = documents[1].start_mark
        line, column = (second.line + 1, second.column + 1) if second else (0, 0)
        source.error(line, column, "", "文件", "multi_document")
    for event in events:
        _check_event(event, source)


def _compose_root(text: str) -> Node | None:
    """Compose the node tree; a syntax error is re-read by the pure-Python parser, as in :func:`_events`."""
    try:
        return yaml.compose(text, Loader=LOADER)
    except yaml.MarkedYAMLError as error:
        if LOADER is yaml.SafeLoader or "nesting depth" in str(error.problem):
            raise
    return yaml.compose(text, Loader=yaml.SafeLoader)


def _events(text: str) -> list[yaml.Event]:
    """Parse events; a syntax error is re-read by the pure-Python parser, whose messages we translate."""
    try:
        return list(yaml.parse(text, Loader=LOADER))
    except yaml.MarkedYAMLError as error:
        if LOADER is yaml.SafeLoader or "nesting depth" in str(error.problem):
            raise
    return list(yaml.parse(text, Loader=yaml.SafeLoader))


_OPENERS = {
    "while scanning a quoted scalar": "引号没有闭合",
    "while parsing a flow sequence": "方括号 [ 没有闭合",
    "while parsing a flow mapping": "花括号 { 没有闭合",
}
"""Problems that are found far from where they start: an unclosed quote is noticed at the end of the file."""


def _where_it_starts(error: yaml.MarkedYAMLError) -> yaml.Mark | None:
    """The line to fix: where an unclosed quote or bracket opens, else where the parser stopped."""
    if error.context in _OPENERS and error.context_mark is not None:
        return error.context_mark
    return error.problem_mark or error.context_mark


def _problem_text(error: yaml.MarkedYAMLError) -> str:
    if error.context in _OPENERS:
        return f"{_OPENERS[error.context]}（从这里开始）"
    problem = error.problem or "无法解析"
    translations = {
        "found character '\\t' that cannot start any token": "含有不能出现在这里的制表符",
        "mapping values are not allowed here": "此处不能出现 “键: 值”（可能缺少缩进或引号）",
        "expected <block end>, but found '-'": "列表项的缩进与上文不一致",
        "found undefined alias": "引用了未定义的别名",
    }
    for english, chinese in translations.items():
        if problem.startswith(english):
            return chinese
    return problem


def _check_event(event: yaml.Event, source: SourceFile) -> None:
    mark = event.start_mark
    anchor = getattr(event, "anchor", None)
    if mark is None or not anchor:
        return
    if isinstance(event, yaml.AliasEvent):
        source.error(mark.line + 1, mark.column + 1, "", "别名", "alias", name=anchor)
    else:
        source.error(mark.line + 1, mark.column + 1, "", "锚点", "anchor", name=anchor)


def _check_keys(node: Node, source: SourceFile, path: str = "") -> int:
    """Report duplicate keys (PyYAML silently keeps the last); count the fatal key problems.

    The recursion is bounded: :func:`_too_deep` has refused deeper files.
    """
    fatal = 0
    if isinstance(node, MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            fatal += _check_key(key, seen, source, path)
            if isinstance(key, ScalarNode):
                fatal += _check_keys(value, source, f"{path}.{key.value}" if path else key.value)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            fatal += _check_keys(item, source, f"{path}[{index}]")
    return fatal


def _check_key(key: Node, seen: dict[str, int], source: SourceFile, path: str) -> int:
    line, column = key.start_mark.line + 1, key.start_mark.column + 1
    if key.tag == MERGE_TAG:
        source.error(line, column, path, "" if path else "文件", "merge_key")
        return 1
    if not isinstance(key, ScalarNode):
        source.error(line, column, path, "" if path else "文件", "non_string_key", got="复合结构")
        return 1
    if key.value in seen:
        first = seen[key.value]
        full = f"{path}.{key.value}" if path else key.value
        source.error(line, column, full, "", "duplicate_key", name=key.value, first=first)
    else:
        seen[key.value] = line
    return 0
