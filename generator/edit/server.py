"""``python -m generator edit``: a small local web server where a clerk changes a guide in a form.

It lists the departments and their items, opens one file as a form described by the declaration
(:mod:`generator.edit.form`), and saves the form back into the same YAML file (:mod:`generator.edit.roundtrip`):
only the values that changed are rewritten, comments and key order stay.  After each save the file is checked
as ``validate`` checks it, and the messages come back word for word, each with the key of its field.  A save is
refused when the file changed on disk since the form was opened, and every request must come from the editor's own
page (:mod:`generator.edit.guard`).  The page loads nothing from other hosts.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ..contract.spec import ListOf, MapOf, Record, Spec, TextOr
from ..contract.yaml12 import Json
from ..load import load
from ..model import FILES
from ..read.files import discover
from .form import form_of
from .guard import Guard, inside
from .roundtrip import Document
from .roundtrip import Path as KeyPath

STATIC = Path(__file__).resolve().parent / "static"
MAX_BODY = 2 << 20
"""The largest save accepted (a guide is a few KiB)."""


@dataclass
class Editor:
    """The files the server edits: the procedures folder, and paths in messages relative to ``root``."""

    procedures: Path
    root: Path
    guard: Guard = field(default_factory=lambda: Guard(frozenset()))

    def files(self) -> dict[str, list[tuple[str, str]]]:
        """Department folder → its files (path in the procedures folder, what the file is called)."""
        listed: dict[str, list[tuple[str, str]]] = {}
        for found in discover(self.procedures, self.procedures).files:
            folder = found.display.split("/")[0] if "/" in found.display else ""
            listed.setdefault(folder, []).append((found.display, _title(found.path, found.kind)))
        return listed

    def open(self, relative: str) -> tuple[str, Json, Json, str] | None:
        """(kind, form, data, version) of a file, or None when it is not a file of the folder."""
        path = inside(self.procedures, relative)
        kind = _kind(relative)
        if path is None or kind is None or not path.is_file():
            return None
        text = path.read_text(encoding="utf-8")
        data = json.loads(json.dumps(Document.parse(text).data, default=str))
        return kind, form_of(FILES[kind]), data, _version(text)

    def save(self, relative: str, version: str, data: Json) -> tuple[int, dict[str, Json]]:
        """Write the form's data into the file; (HTTP status, answer with the new version and the messages)."""
        path = inside(self.procedures, relative)
        kind = _kind(relative)
        if not isinstance(data, dict):
            return 400, {"error": "请求有误：表单数据应是一个记录"}
        if path is None or kind is None or not path.is_file():
            return 404, {"error": "没有这个文件"}
        text = path.read_text(encoding="utf-8")
        if _version(text) != version:
            return 409, {"error": "这个文件在您打开之后已被修改（可能是别人保存的）。请复制您的修改，重新打开后再改。"}
        document = Document.parse(text)
        _apply(document, (), document.data, data, FILES[kind])
        saved = document.text()
        path.write_text(saved, encoding="utf-8")
        return 200, {"version": _version(saved), "messages": self.messages(relative)}

    def messages(self, relative: str) -> list[Json]:
        """What ``validate`` says of the file, with each message's key."""
        display = f"{self.procedures.relative_to(self.root).as_posix()}/{relative}"
        result = load(self.procedures, self.root, only=[display])
        return [
            {"key": d.key, "title": d.title, "severity": d.severity, "text": d.message, "line": d.line}
            for d in result.diagnostics
            if d.file == display
        ]


def _kind(relative: str) -> str | None:
    name = relative.rsplit("/", 1)[-1]
    if not name.endswith(".yml") or relative.count("/") > 1:
        return None
    if relative == "site.yml":
        return "site"
    return "department" if name == "department.yml" else "item"


def _version(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _title(path: Path, kind: str) -> str:
    """A file's name as a clerk knows it: the item's or department's name, read from its ``name:`` line."""
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("name:"):
            return line.removeprefix("name:").strip().strip("\"'") or path.stem
    return {"site": "全站设置", "department": "部门信息"}.get(kind, path.stem)


def _order(spec: Spec | None) -> list[str]:
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
    elif isinstance(new, list) and isinstance(old, list) and len(new) == len(old):
        for index, value in enumerate(new):
            _apply(document, (*path, index), old[index], value, _inner(spec, index))
    elif path and _plain(old) != new:
        document.set(path, new)


def _apply_mapping(document: Document, path: KeyPath, old: Any, new: dict[str, Json], spec: Spec | None) -> None:
    """Keys left out are deleted, new keys go where the declaration puts them, the others are compared."""
    for key in [k for k in old if k not in new]:
        document.delete((*path, key))
    for key, value in new.items():
        if key in old:
            _apply(document, (*path, key), old[key], value, _inner(spec, key))
        else:
            document.set((*path, key), value, order=_order(spec))


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


# HTTP --------------------------------------------------------------------------------------------------------


def serve(editor: Editor, host: str, port: int) -> ThreadingHTTPServer:
    """A server (not yet serving) for ``editor`` at host:port; the guard accepts its own address only."""
    server = ThreadingHTTPServer((host, port), _handler(editor))
    bound = server.server_address[1]
    hosts = (
        {f"{host}:{bound}", f"127.0.0.1:{bound}", f"localhost:{bound}"}
        if host in ("127.0.0.1", "localhost")
        else {f"{host}:{bound}"}
    )
    editor.guard = Guard(frozenset(hosts))
    return server


def _handler(editor: Editor) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "banshi-edit"

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
                opened = editor.open(route.removeprefix("/edit/"))
                if opened is None:
                    return self._send(404, "text/plain; charset=utf-8", "没有这个文件".encode())
                page = _edit_page(editor, route.removeprefix("/edit/"), *opened)
                return self._send(200, "text/html; charset=utf-8", page.encode())
            if route in ("/static/editor.js", "/static/editor.css"):
                kind = "text/javascript" if route.endswith(".js") else "text/css"
                body = (STATIC / route.removeprefix("/static/")).read_bytes()
                return self._send(200, f"{kind}; charset=utf-8", body)
            if route == "/favicon.ico":
                return self._send(204, "image/x-icon", b"")
            return self._send(404, "text/plain; charset=utf-8", "没有这个页面".encode())

        def do_POST(self) -> None:
            refused = editor.guard.refusal("POST", dict(self.headers))
            if refused:
                return self._json(403, {"error": refused})
            length = int(self.headers.get("Content-Length") or 0)
            if urlsplit(self.path).path != "/api/save" or not 0 < length <= MAX_BODY:
                return self._json(400, {"error": "请求有误"})
            try:
                body = json.loads(self.rfile.read(length))
                status, answer = editor.save(str(body["file"]), str(body["version"]), body["data"])
            except (ValueError, KeyError, TypeError):
                return self._json(400, {"error": "请求有误"})
            return self._json(status, answer)

        def _json(self, status: int, answer: dict[str, Json]) -> None:
            self._send(status, "application/json; charset=utf-8", json.dumps(answer, ensure_ascii=False).encode())

        def _send(self, status: int, kind: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

    return Handler


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
        links = "".join(f'<li><a href="/edit/{html.escape(path)}">{html.escape(name)}</a></li>' for path, name in files)
        sections.append(f"<section><h2>{html.escape(heading)}</h2><ul>{links}</ul></section>")
    body = "<h1>办事指南编辑器</h1><p>选择要修改的部门信息或事项。</p>" + "".join(sections)
    return PAGE.format(title="事项列表", body=body, scripts="")


def _edit_page(editor: Editor, relative: str, kind: str, form: Json, data: Json, version: str) -> str:
    state = {"file": relative, "kind": kind, "form": form, "data": data, "version": version}
    embedded = _script_json(state)
    body = (
        f'<p><a href="/">← 返回列表</a></p><h1>{html.escape(_title(editor.procedures / relative, kind))}</h1>'
        f'<p class="help">文件：procedures/{html.escape(relative)}。不写的项目网站显示“未公布”。</p>'
        '<form id="editor" novalidate></form>'
        '<div class="bar"><button type="button" id="save">保存</button> <span id="status" role="status"></span></div>'
        '<section aria-labelledby="problems-title"><h2 id="problems-title">检查结果</h2>'
        '<ul id="problems"></ul></section>'
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


def run(editor: Editor, host: str, port: int, open_browser: bool) -> Iterable[str]:
    """Serve until interrupted; yields the address once, for the command to print."""
    server = serve(editor, host, port)
    address = f"http://{host}:{server.server_address[1]}/"
    yield address
    if open_browser:
        import webbrowser

        webbrowser.open(address)
    try:
        server.serve_forever()
    finally:
        server.server_close()
