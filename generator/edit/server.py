"""``python -m generator edit``: a small local web server where a clerk changes a guide in a form.

It lists the departments and their items, opens one file as a form described by the declaration
(:mod:`generator.edit.form`), and saves the form back into the same YAML file (:mod:`generator.edit.roundtrip`):
only the values that changed are rewritten, comments and key order stay.  After each save the file is checked
as ``validate`` checks it, and the messages come back word for word, each with the key of its field.  A save is
refused when the file changed on disk since the form was opened, and every request must come from the editor's own
page (:mod:`generator.edit.guard`).  The page loads nothing from other hosts.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import html
import json
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from ruamel.yaml.comments import CommentedSeq
from ruamel.yaml.error import YAMLError

from ..contract.spec import ListOf, MapOf, Record, Spec, TextOr, place_at
from ..contract.values import IDENT
from ..contract.yaml12 import Json
from ..load import Workspace
from ..model import FILES, Bundle, Catalog, Department, Site
from ..read.files import BUNDLES, discover
from ..render.graphviz import ChartError
from ..render.pages import PageRenderer
from ..versions import Change, History
from ..workflow.changes import ItemVersion, compare, compare_bundles, report, version
from ..workflow.fragments import CSS as FRAGMENT_CSS
from ..workflow.fragments import item_fragment
from .form import SECTIONS, file_form
from .guard import Guard, inside
from .roundtrip import Document
from .roundtrip import Path as KeyPath
from .submit import KINDS, Proposal, Refused, Target

STATIC = Path(__file__).resolve().parent / "static"
MAX_BODY = 2 << 20
"""The largest save accepted (a guide is a few KiB)."""
MAX_DEPTH = 12
"""The deepest nesting of a form's data (the declaration's is 6: a file, a list, a row, a union, a list, a row)."""


@dataclass
class Editor:
    """The files the server edits: the procedures folder, and paths in messages relative to ``root``."""

    procedures: Path
    root: Path
    target: Target = field(default_factory=Target)
    guard: Guard = field(default_factory=lambda: Guard(frozenset()))
    workspace: Workspace = field(init=False, repr=False)
    latest: dict[str, str] = field(default_factory=dict, repr=False)
    """The text each file would have with the form as last checked (what the preview shows)."""
    good: dict[str, str] = field(default_factory=dict, repr=False)
    """The last such text without errors (shown while the form has errors)."""
    _parsed: dict[str, Document] = field(default_factory=dict, repr=False)
    _wrong: dict[str, bool] = field(default_factory=dict, repr=False)
    """Whether a text (by its version) has errors, as the last check found."""
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    renderer: PageRenderer = field(
        default_factory=lambda: PageRenderer(directory_urls=True, site_url="", fragment=True), repr=False
    )

    def __post_init__(self) -> None:
        self.workspace = Workspace(self.procedures, self.root)

    def files(self) -> dict[str, list[tuple[str, str]]]:
        """Department folder → its files (path in the procedures folder, what the file is called)."""
        listed: dict[str, list[tuple[str, str]]] = {}
        for found in discover(self.procedures, self.procedures).files:
            folder = found.display.split("/")[0] if "/" in found.display else ""
            listed.setdefault(folder, []).append((found.display, _title(found.path, found.kind)))
        return listed

    def open(self, relative: str) -> tuple[str, Json, Json, str, bool] | None:
        """(kind, form, data, version, exact) of a file, or None when it is not a file of the folder; ``exact`` is
        whether saving writes back only what changed (else the whole file is rewritten in the usual layout)."""
        opened = self._read(relative)
        if opened is None:
            return None
        kind, _, text = opened
        document = self._document(text)
        exact = document is None or document.exact
        return kind, file_form(kind, FILES[kind]), _data(text), _version(text), exact

    def check(self, relative: str, data: Json) -> tuple[int, dict[str, Json]]:
        """The messages of the file as the form has it, without writing anything."""
        would = self._would_be(relative, data)
        if isinstance(would, tuple):
            return would
        self.latest[relative] = would.after
        messages = self.messages(relative, would.after)
        self._wrong = {_version(would.after): bool(_errors(messages))}
        return 200, {"messages": messages}

    def report(self, relative: str, version: str, data: Json) -> tuple[int, dict[str, Json]]:
        """What changes for the public, the reviewers, and whether the file may be submitted."""
        would = self._would_be(relative, data, version)
        if isinstance(would, tuple):
            return would
        messages = self.messages(relative, would.after)
        changes, markdown = self._changes(relative, would.before, would.after)
        return 200, {
            "changes": [{"text": c.text, "worse": c.worse} for c in sorted(changes, key=lambda c: not c.worse)],
            "report": markdown,
            "reviewers": self._reviewers(relative),
            "errors": _errors(messages),
            "forge": self.target.forge,
        }

    def _reviewers(self, relative: str) -> list[Json]:
        """Who approves the change, as CODEOWNERS says: a department's reviewers for its folder, the site's for
        site.yml and the 一件事."""
        department = self.workspace.built(self._display(relative.split("/")[0] + "/department.yml"))
        if isinstance(department, Department):
            return list(department.reviewers)
        site = self.workspace.built(self._display("site.yml"))
        return list(site.reviewers or ()) if isinstance(site, Site) else []

    def submit(self, relative: str, version: str, data: Json, kind: str, reason: str) -> tuple[int, dict[str, Json]]:
        """Submit the change (written, or proposed for review), when the file has no error."""
        proposal = self._proposal(relative, version, data, kind, reason)
        if isinstance(proposal, tuple):
            return proposal
        try:
            done = self.target.submit(self.procedures, proposal)
        except Refused as refused:
            return 409, {"error": str(refused)}
        path = self.procedures / relative
        text = path.read_bytes().decode("utf-8", "replace") if path.is_file() else ""  # new, withdrawn, or proposed
        return 200, {"message": done.message, "url": done.url, "branch": done.branch, "version": _version(text)}

    def _proposal(self, relative: str, version: str, data: Json, kind: str, reason: str) -> Proposal | Answer:
        """The change as it would be submitted, or why it cannot be (status, answer)."""
        if kind not in KINDS or not reason.strip():
            return 400, {"error": "请选择变更类别，并写明理由或依据"}
        would = self._would_be(relative, data, version)
        if isinstance(would, tuple):
            return would
        wrong_kind = _kind_refusal(kind, _kind(relative) or "", would.before, data)
        if wrong_kind:
            return 400, {"error": wrong_kind}
        if kind == "取消":  # the item is withdrawn: its file goes, whatever the form holds
            would = _Would(would.before, "")
        messages = self.messages(relative, would.after) if would.after else []
        if _errors(messages):
            return 422, {"error": "文件还有错误：改正后才能提交（修改已作为草稿保存在本浏览器）", "messages": messages}
        if would.before == would.after:
            return 400, {"error": "没有修改，无需提交"}
        changes, markdown = self._changes(relative, would.before, would.after)
        return Proposal(relative, would.before, would.after, kind, reason.strip(), markdown, _summary(changes))

    def preview(self, relative: str) -> str:
        """The item page as the site shows it, from the form as last checked (or the file)."""
        opened = self._read(relative)
        if opened is None or opened[0] != "item":
            return "<p>预览只适用于事项文件。</p>"
        shown = self._previewable(relative, opened[2])
        found = self.workspace.item(self._display(relative), shown[0].encode("utf-8")) if shown else None
        if shown is None or found is None:
            return "<p>文件改正错误后才能预览。</p>"
        catalog, procedure = found
        try:
            return shown[1] + item_fragment(catalog, procedure, self.renderer, "/preview/", History())
        except ChartError as error:
            return f"<p>流程图无法画出：{html.escape(str(error))}</p>"

    def _previewable(self, relative: str, disk: str) -> tuple[str, str] | None:
        """The text to preview and a note: the form's as last checked or, while it has errors, the last one
        without (saying so); None when there is none."""
        for text, note in ((self.latest.get(relative, disk), ""), (self.good.get(relative, disk), STALE_PREVIEW)):
            wrong = self._wrong.get(_version(text))
            if wrong is None:
                wrong = bool(_errors(self.messages(relative, text)))
            if not wrong:
                self.good[relative] = text
                return text, note
        return None

    def messages(self, relative: str, text: str | None = None) -> list[Json]:
        """What ``validate`` says of the file (as it is, or with ``text``), with each message's key and place."""
        display = self._display(relative)
        kind = _kind(relative) or "item"
        data = (self.procedures / relative).read_bytes() if text is None else text.encode("utf-8")
        return [
            {
                "key": d.key,
                "place": place_at(FILES[kind], d.key) if d.key else "",
                "title": d.title,
                "severity": d.severity,
                "text": d.message,
                "line": d.line,
            }
            for d in self.workspace.check(display, data)
        ]

    def _display(self, relative: str) -> str:
        return f"{self.procedures.relative_to(self.root).as_posix()}/{relative}"

    def _read(self, relative: str) -> tuple[str, Path, str] | None:
        """(kind, path, text) of a file of the folder; the text of a new item (a free name in a department's
        folder) is empty."""
        path = inside(self.procedures, relative)
        kind = _kind(relative)
        if path is None or kind is None or len(path.name.encode()) > 255:  # a name no file system holds
            return None
        if path.is_file():
            return kind, path, path.read_bytes().decode("utf-8", "replace")
        return (kind, path, "") if self.is_new(relative) else None

    def is_new(self, relative: str) -> bool:
        """Whether ``relative`` names an item that may be created: a free, well-formed name in a department's
        folder."""
        folder, _, name = relative.partition("/")
        path = inside(self.procedures, relative)
        return (
            path is not None
            and len(name.encode()) <= 255
            and not path.exists()
            and "/" not in name
            and re.fullmatch(IDENT.pattern, name.removesuffix(".yml")) is not None
            and name.endswith(".yml")
            and (self.procedures / folder / "department.yml").is_file()
        )

    def _would_be(self, relative: str, data: Json, version: str | None = None) -> _Would | tuple[int, dict[str, Json]]:
        """The file's text now and with the form's data, or the refusal (status, answer)."""
        if not isinstance(data, dict) or _depth(data) > MAX_DEPTH:
            return 400, {"error": "请求有误：表单数据应是一个记录"}
        opened = self._read(relative)
        if opened is None:
            return 404, {"error": "没有这个文件"}
        kind, _, text = opened
        if version is not None and _version(text) != version:
            error = "这个文件在您打开之后已被修改（可能是别人保存的）：请在下面比较后重做您的修改"
            return 409, {"error": error, "version": _version(text), "data": _data(text)}
        document = self._document(text)
        if document is None:
            return 422, {"error": "这个文件现在不能用表单修改（见检查结果）：请在文本编辑器中改正"}
        _apply(document, (), document.data, data, FILES[kind])
        return _Would(text, document.text())

    def _document(self, text: str) -> Document | None:
        """The file's text read for editing (in the style found when it was first read: finding it takes ruamel.yaml
        two readings of a long file); None when the form cannot hold it."""
        key = _version(text)
        if key not in self._parsed:
            parsed = _parse(text)
            if parsed is None:
                return None
            self._parsed = {key: parsed}  # the file being edited; another one replaces it
        return self._parsed[key].again(text)

    def _changes(self, relative: str, before: str, after: str) -> tuple[list[Change], str]:
        """The changes for the public between two texts of an item (a new item's first text is empty), and the
        change report; the lines of the file that change, for other files."""
        display = self._display(relative)
        old = self.workspace.catalog(display, before.encode()) if before else None
        new = self.workspace.catalog(display, after.encode()) if after else None  # none: the item is withdrawn
        if _kind(relative) not in ("item", "bundle") or (old is None and before) or (new is None and after):
            return [], _file_diff(before, after)
        changes = _public_changes(_kind(relative) == "bundle", old, new, display)
        return changes, report(changes, "当前版本", "本次修改")


def kinds_of(file_kind: str, new: bool) -> tuple[str, ...]:
    """The change kinds a clerk may choose for a file: a new item is 新增; an existing one is changed, suspended
    (its 暂停办理 written) or withdrawn (its file deleted); a department's or the site's file is only changed."""
    if file_kind != "item":
        return ("变更",)
    return ("新增",) if new else ("变更", "暂停", "取消")


def _kind_refusal(kind: str, file_kind: str, before: str, data: Json) -> str:
    """Why ``kind`` does not fit the change (empty when it does)."""
    allowed = kinds_of(file_kind, not before)
    if kind not in allowed:
        return "这次修改的变更类别只能是" + "、".join(f"“{k}”" for k in allowed)
    if kind == "暂停" and not (isinstance(data, dict) and data.get("suspended")):
        return "选择“暂停”时，请先在“基本信息”的“暂停办理”一项写明原因和起始日期（页首会醒目显示）"
    return ""


def _versions(catalog: Catalog | None, display: str) -> dict[str, ItemVersion]:
    """The item ``display`` as :func:`~generator.workflow.changes.compare` takes it (none for a new item)."""
    if catalog is None:
        return {}
    departments = {d.id: d for d in catalog.departments}
    return {p.code or p.identity: version(p, departments) for p in catalog.procedures if p.source == display}


def _public_changes(bundle: bool, old: Catalog | None, new: Catalog | None, display: str) -> list[Change]:
    """What changes for the public in the item or 一件事 ``display`` between two catalogs."""
    if bundle:
        names = {p.slug: p.name for c in (old, new) if c for p in c.procedures}
        return compare_bundles(_bundles_of(old, display), _bundles_of(new, display), names)
    return compare(_versions(old, display), _versions(new, display))


def _bundles_of(catalog: Catalog | None, display: str) -> dict[str, Bundle]:
    """The 一件事 ``display`` as :func:`~generator.workflow.changes.compare_bundles` takes it."""
    return {b.id: b for b in catalog.bundles if b.source == display} if catalog else {}


def _file_diff(before: str, after: str) -> str:
    lines = list(difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm=""))
    return "文件的改动：\n\n```diff\n" + "\n".join(lines[2:]).replace("```", "ʼʼʼ") + "\n```\n"


def _parse(text: str) -> Document | None:
    """The file read for editing, or None when the form cannot hold it (not YAML, not one record, a value
    ruamel.yaml cannot read, not UTF-8): then the clerk sees validate's messages and fixes it as text."""
    try:
        document = Document.parse(text)
    except (YAMLError, ValueError):
        return None
    return document if isinstance(document.data, dict) and "\ufffd" not in text else None


def _data(text: str) -> Json:
    document = _parse(text)
    return json.loads(json.dumps(document.data, default=str)) if document else None


def _summary(changes: list[Change]) -> str:
    """The change in one line, for a title: what is worse for applicants first."""
    ordered = sorted(changes, key=lambda c: not c.worse)
    return "；".join(c.text for c in ordered[:3]) + ("等" if len(ordered) > 3 else "") or "没有影响公众的变化"


def _errors(messages: list[Json]) -> int:
    return sum(isinstance(m, dict) and m.get("severity") == "error" for m in messages)


@dataclass(frozen=True)
class _Would:
    before: str
    after: str


def _kind(relative: str) -> str | None:
    name = relative.rsplit("/", 1)[-1]
    if not name.endswith(".yml") or relative.count("/") > 1:
        return None
    if relative == "site.yml":
        return "site"
    if relative.startswith(f"{BUNDLES}/"):
        return "bundle"
    return "department" if name == "department.yml" else "item"


def _version(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _title(path: Path, kind: str) -> str:
    """A file's name as a clerk knows it: the item's or department's name, read from its ``name:`` line."""
    if not path.is_file():
        return "新事项"
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("name:"):
            return line.removeprefix("name:").strip().strip("\"'") or path.stem
    return {"site": "全站设置", "department": "部门信息"}.get(kind, path.stem)


def _order(spec: Spec | None) -> list[str]:
    """The order of a record's keys: for an item, the form's (the national guide's elements)."""
    if spec is FILES["item"]:
        return [key for _, keys in SECTIONS["item"] for key in keys]
    record = spec.record if isinstance(spec, TextOr) else spec
    return list(record.keys) if isinstance(record, Record) else []


def _inner(spec: Spec | None, part: str | int) -> Spec | None:
    """The declaration of the value at ``part`` inside a value of ``spec``."""
    if isinstance(spec, TextOr):
        spec = spec.record
    if isinstance(spec, Record) and isinstance(part, str) and part in spec.keys:
        return spec.keys[part].spec
    if isinstance(spec, ListOf):
        return spec.item
    if isinstance(spec, MapOf):
        return spec.value
    return getattr(spec, "items", None)  # 收费: its list of fees


def _apply(document: Document, path: KeyPath, old: Any, new: Json, spec: Spec | None) -> None:
    """Change the document where ``new`` differs from ``old``: the changed values only, in place."""
    if isinstance(new, dict) and hasattr(old, "items"):
        _apply_mapping(document, path, old, new, spec)
    elif isinstance(new, list) and isinstance(old, CommentedSeq) and len(old):
        _apply_list(document, path, old, new, spec)
    elif path and _plain(old) != new:
        document.set(path, new)


def _apply_list(document: Document, path: KeyPath, old: CommentedSeq, new: list[Json], spec: Spec | None) -> None:
    """Rows added or removed are inserted or deleted one by one (the other rows keep their comments, a list on one
    line stays on one line); rows in the same place are compared.  Which rows those are is found by matching the
    rows' values, from the end so that the places still to change keep their numbers."""
    before = [json.dumps(_plain(row), sort_keys=True) for row in old]
    after = [json.dumps(row, sort_keys=True) for row in new]
    for tag, i1, i2, j1, j2 in reversed(difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()):
        if tag == "equal":
            continue
        common = min(i2 - i1, j2 - j1)
        for index in reversed(range(i1 + common, i2)):
            document.delete((*path, index))
        for index in range(j1 + common, j2):
            document.insert((*path, i1 + index - j1), new[index])
        for offset in range(common):
            _apply(document, (*path, i1 + offset), old[i1 + offset], new[j1 + offset], _inner(spec, i1 + offset))


def _apply_mapping(document: Document, path: KeyPath, old: Any, new: dict[str, Json], spec: Spec | None) -> None:
    """Keys left out are deleted, new keys go where the declaration puts them, the others are compared."""
    for key in [k for k in old if k not in new]:
        document.delete((*path, key))
    for key, value in new.items():
        if key in old:
            _apply(document, (*path, key), old[key], value, _inner(spec, key))
        else:
            document.set((*path, key), value, order=_order(spec))


def _depth(value: Json) -> int:
    """How deeply lists and records nest in ``value`` (counted without recursion: a request may nest anything)."""
    deepest, todo = 0, [(value, 1)]
    while todo:
        value, depth = todo.pop()
        deepest = max(deepest, depth)
        if depth <= MAX_DEPTH:
            todo.extend((inner, depth + 1) for inner in _children(value))
    return deepest


def _children(value: Json) -> list[Json]:
    if isinstance(value, dict):
        return list(value.values())
    return list(value) if isinstance(value, list) else []


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


# HTTP --------------------------------------------------------------------------------------------------------


def serve(editor: Editor, host: str, port: int, names: Iterable[str] = ()) -> ThreadingHTTPServer:
    """A server (not yet serving) for ``editor`` at host:port; the guard accepts its own address only: the address
    it listens on, and on an office server the ``names`` colleagues type into their browsers."""
    server = ThreadingHTTPServer((host, port), _handler(editor))
    bound = server.server_address[1]
    local = {"127.0.0.1", "localhost"} if host in ("127.0.0.1", "localhost") else set()
    editor.guard = Guard(frozenset(f"{name}:{bound}" for name in {host, *local, *names}))
    return server


def _handler(editor: Editor) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "banshi-edit"
        timeout = 60  # seconds a connection may stay silent: a stalled client does not hold a thread for ever

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            refused = editor.guard.refusal("GET", dict(self.headers))
            if refused:
                return self._send(403, "text/plain; charset=utf-8", refused.encode())
            route = unquote(urlsplit(self.path).path)
            if route == "/":
                return self._send(200, "text/html; charset=utf-8", _index(editor).encode())
            if route.startswith("/edit/"):
                with editor.lock:  # a broken file is checked for its messages: the workspace is shared
                    opened = editor.open(route.removeprefix("/edit/"))
                    page = _edit_page(editor, route.removeprefix("/edit/"), *opened) if opened else None
                if page is None:
                    return self._send(404, "text/plain; charset=utf-8", "没有这个文件".encode())
                return self._send(200, "text/html; charset=utf-8", page.encode())
            if route == "/new":
                query = parse_qs(urlsplit(self.path).query)
                relative = f"{query.get('folder', [''])[0]}/{query.get('name', [''])[0].strip()}.yml"
                if not editor.is_new(relative):
                    message = "文件名只能用小写字母、数字和连字符，以字母开头，且不能与已有的文件同名".encode()
                    return self._send(400, "text/plain; charset=utf-8", message)
                return self._redirect("/edit/" + quote(relative))
            if route.startswith("/preview/"):
                with editor.lock:
                    body = PREVIEW.format(body=editor.preview(route.removeprefix("/preview/")))
                return self._send(200, "text/html; charset=utf-8", body.encode(), PREVIEW_POLICY)
            if route in STATIC_FILES:
                return self._send(200, STATIC_FILES[route][1], STATIC_FILES[route][0].read_bytes())
            if route == "/favicon.ico":
                return self._send(204, "image/x-icon", b"")
            return self._send(404, "text/plain; charset=utf-8", "没有这个页面".encode())

        def do_POST(self) -> None:
            refused = editor.guard.refusal("POST", dict(self.headers))
            if refused:
                return self._json(403, {"error": refused})
            length = self.headers.get("Content-Length") or "0"
            route = urlsplit(self.path).path
            if route not in ROUTES or not length.isdigit() or not 0 < int(length) <= MAX_BODY:
                return self._json(400, {"error": "请求有误"})
            try:
                body = json.loads(self.rfile.read(int(length)))
                with editor.lock:  # one request at a time: the workspace and the renderer are shared
                    status, answer = ROUTES[route](editor, body)
            except (ValueError, KeyError, TypeError, RecursionError):  # not the page's request (nested too deep…)
                return self._json(400, {"error": "请求有误"})
            return self._json(status, answer)

        def _redirect(self, location: str) -> None:
            self.send_response(303)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _json(self, status: int, answer: dict[str, Json]) -> None:
            self._send(status, "application/json; charset=utf-8", json.dumps(answer, ensure_ascii=False).encode())

        def _send(self, status: int, kind: str, body: bytes, policy: str = POLICY) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Content-Security-Policy", policy)
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the page went on
                self.wfile.write(body)

    return Handler


Answer = tuple[int, dict[str, Json]]
ROUTES: dict[str, Callable[[Editor, Any], Answer]] = {
    "/api/check": lambda editor, body: editor.check(str(body["file"]), body["data"]),
    "/api/report": lambda editor, body: editor.report(str(body["file"]), str(body["version"]), body["data"]),
    "/api/submit": lambda editor, body: editor.submit(
        str(body["file"]), str(body["version"]), body["data"], str(body["kind"]), str(body["reason"])
    ),
}
"""The requests that carry a form's data: check it, report what it changes, submit it."""

STATIC_FILES = {
    "/static/editor.js": (STATIC / "editor.js", "text/javascript; charset=utf-8"),
    "/static/editor.css": (STATIC / "editor.css", "text/css; charset=utf-8"),
    "/static/fragment.css": (FRAGMENT_CSS, "text/css; charset=utf-8"),
}

KIND_LABELS = {"新增": "新增事项", "变更": "变更", "暂停": "暂停办理", "取消": "取消事项（删除本事项的文件）"}
"""How each change kind is offered (取消 says what it does: it is not the dialog's 返回修改)."""

REWRITTEN = (
    '<p class="notice">这个文件的缩进或换行与通常的写法不同：保存时整个文件会按通常的写法重写，'
    "审核时会看到很多行改动。可以先请技术人员单独提交一次格式整理。</p>"
)
STALE_PREVIEW = '<p class="bs-stale" role="status">表单中还有错误：以下是最后一次没有错误时的预览。</p>'

POLICY = "default-src 'self'; frame-ancestors 'none'"
PREVIEW_POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'self'"
"""The preview is shown in a frame of the editor's page and nowhere else; it runs no script."""

PREVIEW = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>预览</title><link rel="stylesheet" href="/static/fragment.css"><base target="_blank">
<style>a[href]:not([href^="#"]) {{ pointer-events: none; color: inherit; }}</style></head>
<body>{body}</body></html>
"""

PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} - 办事指南编辑器</title><link rel="stylesheet" href="/static/editor.css"></head>
<body><main>{body}</main>{scripts}</body></html>
"""


def _index(editor: Editor) -> str:
    sections = []
    for folder, files in sorted(editor.files().items()):
        names = dict(files)
        heading = names.get(f"{folder}/department.yml", folder) if folder else "全站"
        heading = "高效办成一件事" if folder == BUNDLES else heading
        shown = [(path, "部门信息" if path.endswith("/department.yml") else name) for path, name in files]
        links = "".join(f'<li><a href="/edit/{html.escape(path)}">{html.escape(name)}</a></li>' for path, name in shown)
        create = _new_item_form(folder) if folder and folder != BUNDLES else ""
        sections.append(f"<section><h2>{html.escape(heading)}</h2><ul>{links}</ul>{create}</section>")
    body = "<h1>办事指南编辑器</h1><p>选择要修改的部门信息或事项。</p>" + "".join(sections)
    return PAGE.format(title="事项列表", body=body, scripts="")


def _new_item_form(folder: str) -> str:
    """A new item of a department starts from its file name (nothing else is filled in)."""
    field = html.escape(f"new-{folder}")
    return (
        '<form class="new" action="/new" method="get">'
        f'<input type="hidden" name="folder" value="{html.escape(folder)}">'
        f'<label for="{field}">新事项的文件名（小写字母、数字和连字符，如 jzz-bl）</label>'
        f'<input type="text" id="{field}" name="name" required pattern="[a-z][a-z0-9\\-]*"> '
        '<button type="submit">新建事项</button></form>'
    )


def _edit_page(editor: Editor, relative: str, kind: str, form: Json, data: Json, version: str, exact: bool) -> str:
    state = {"file": relative, "kind": kind, "form": form, "data": data, "version": version}
    if data is None:
        state["messages"] = editor.messages(relative)
    embedded = _script_json(state)
    submit = "保存…" if editor.target.forge == "disk" else "提交审核…"
    allowed = kinds_of(kind, not (editor.procedures / relative).is_file())
    kinds = "".join(
        f'<label><input type="radio" name="change-kind" value="{k}"{" checked" if i == 0 else ""}> {KIND_LABELS[k]}'
        "</label> "
        for i, k in enumerate(allowed)
    )
    preview = (
        f'<aside class="preview" aria-labelledby="preview-title"><h2 id="preview-title">预览</h2>'
        f'<iframe id="preview" title="事项页面预览" src="/preview/{html.escape(relative)}"></iframe></aside>'
        if kind == "item"
        else ""
    )
    body = (
        f'<p><a href="/">← 返回列表</a></p><h1>{html.escape(_title(editor.procedures / relative, kind))}</h1>'
        f'<p class="help">文件：procedures/{html.escape(relative)}。不写的项目网站显示“未公布”。'
        "修改随时存为本浏览器里的草稿，检查无误后再提交。</p>"
        + ("" if exact else REWRITTEN)
        + '<div id="draft" class="notice" hidden></div>'
        '<section id="merge" class="notice" hidden aria-labelledby="merge-title"></section>'
        '<div class="columns"><div class="editing">'
        '<form id="editor" novalidate></form>'
        '<section aria-labelledby="problems-title"><h2 id="problems-title">检查结果</h2>'
        '<ul id="problems"></ul></section></div>'
        f"{preview}</div>"
        f'<div class="bar"><button type="button" id="submit">{submit}</button> '
        + ('<button type="button" id="to-preview" class="secondary">看预览</button> ' if kind == "item" else "")
        + '<span id="status" role="status"></span></div>'
        '<dialog id="confirm" aria-labelledby="confirm-title"><form method="dialog" id="confirm-form" novalidate>'
        '<h2 id="confirm-title">确认修改</h2><div id="report"></div>'
        f"<fieldset><legend>变更类别</legend>{kinds}</fieldset>"
        '<p id="kind-hint" class="help"></p>'
        '<label for="reason">理由或依据（如文件名称和文号）</label><textarea id="reason"></textarea>'
        '<p id="confirm-error" class="message" role="alert"></p>'
        '<p><button type="submit" id="confirm-submit" value="submit">确认提交</button> '
        '<button type="button" id="confirm-cancel">返回修改</button></p></form></dialog>'
    )
    scripts = (
        f'<script type="application/json" id="state">{embedded}</script>'
        f'<meta name="banshi-token" content="{html.escape(editor.guard.token)}">'
        '<script src="/static/editor.js"></script>'
    )
    return PAGE.format(title=html.escape(relative), body=body, scripts=scripts)


def _script_json(value: Json) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def run(editor: Editor, host: str, port: int, open_browser: bool, names: Sequence[str] = ()) -> Iterable[str]:
    """Serve until interrupted; yields the address once, for the command to print."""
    server = serve(editor, host, port, names)
    address = f"http://{names[0] if names else host}:{server.server_address[1]}/"
    yield address
    if open_browser:
        import webbrowser

        webbrowser.open(address)
    try:
        server.serve_forever()
    finally:
        server.server_close()
