"""Regenerate the screenshots of the editor guide (content/assets/guide/*.png).

    .venv/bin/python -m tests.tools.screenshots

Builds the demo site from a throw-away git repository with one realistic
change, runs the CLI on a broken copy, and photographs both in headless
Chromium.  Everything shown is real output of the current code.
"""

from __future__ import annotations

import functools
import html
import http.server
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
TARGET = ROOT / "content" / "assets" / "guide"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-sync"]

TERMINAL = """<!doctype html><meta charset="utf-8"><style>
body {{ margin: 0; background: #fff; }}
pre {{ margin: 0; padding: 16px 20px; width: max-content; max-width: 900px; white-space: pre-wrap;
  background: #1e1e1e; color: #e6e6e6; font: 14px/1.6 "Noto Sans Mono CJK SC", monospace; }}
.cmd {{ color: #8fd18f; }} .err {{ color: #ff8f8f; }} .warn {{ color: #ffd27f; }}
</style><pre>{body}</pre>"""


def git(root: Path, *args: str, date: str) -> None:
    stamp = f"{date}T10:00:00+08:00"
    env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    env |= {"GIT_AUTHOR_NAME": "编辑", "GIT_AUTHOR_EMAIL": "e@example.gov.cn"}
    env |= {"GIT_COMMITTER_NAME": "编辑", "GIT_COMMITTER_EMAIL": "e@example.gov.cn"}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def project(base: Path) -> Path:
    """A copy of the project in git: the demo as published, then a shorter time limit."""
    root = base / "project"
    root.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", root)
    for folder in ("content", "procedures", "site_templates"):
        shutil.copytree(ROOT / folder, root / folder)
    git(root, "init", "-q", "-b", "main", date="2026-01-05")
    git(root, "add", "-A", date="2026-01-05")
    git(root, "commit", "-qm", "公布", date="2026-01-05")
    item = root / "procedures/zjj/sgxk.yml"
    item.write_text(item.read_text(encoding="utf-8").replace("statutory: 7个工作日", "statutory: 5个工作日"), "utf-8")
    git(root, "commit", "-qam", "法定时限调整", date="2026-03-16")
    return root


def run(root: Path, *args: str) -> str:
    """A command and its output, as a terminal shows them."""
    done = subprocess.run([sys.executable, "-m", "generator", *args], cwd=root, capture_output=True, text=True)
    return f"$ python -m generator {' '.join(args)}\n{done.stdout}{done.stderr}"


def terminal(page: Page, name: str, text: str) -> None:
    lines = []
    for line in html.escape(text).splitlines():
        kind = (
            "cmd"
            if line.startswith("$ ")
            else "err"
            if ": error: " in line
            else "warn"
            if ": warning: " in line
            else ""
        )
        lines.append(f'<span class="{kind}">{line}</span>' if kind else line)
    page.set_content(TERMINAL.format(body="\n".join(lines)))
    page.locator("pre").screenshot(path=str(TARGET / f"{name}.png"))
    print(text)


def broken(root: Path) -> None:
    """Three mistakes editors make: a misspelt key, a time limit in words, an unknown position."""
    item = root / "procedures/zjj/spys.yml"
    text = item.read_text(encoding="utf-8")
    text = re.sub(r"committed: .*", "committed: 五个工作日", text.replace("visits:", "vists:", 1), count=1)
    item.write_text(text.replace("position: fangguan", "position: fangguang", 1), encoding="utf-8")


def region(page: Page, first: str, last: str, name: str) -> None:
    """Photograph the content column from one element to the end of another."""
    column, top, bottom = (page.locator(s).first.bounding_box() for s in (".md-content__inner", first, last))
    assert column and top and bottom
    height = bottom["y"] + bottom["height"] - top["y"] + 16
    clip = {"x": column["x"], "y": top["y"] - 8, "width": column["width"], "height": height}
    page.screenshot(path=str(TARGET / f"{name}.png"), clip=clip, full_page=True)  # type: ignore[arg-type]


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def editor_form(browser: Any, root: Path) -> None:
    """The editor's form of an item (python -m generator edit) with a message under a field and the preview; then
    the confirmation before submitting, with the change report."""
    from generator.edit.server import Editor, serve

    editor = Editor(root / "procedures", root)
    server = serve(editor, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    page = browser.new_page(viewport={"width": 1280, "height": 720}, device_scale_factor=1)
    page.goto(f"http://127.0.0.1:{server.server_address[1]}/edit/zjj/sgxk.yml")
    page.frame_locator("#preview").locator("h1").wait_for()
    page.locator('[data-key="time_limits.committed"]').get_by_role("textbox").fill("三个工作日")
    page.locator('[data-key="time_limits.committed"] .message').wait_for()  # checked once typing stops
    page.locator('[data-key="time_limits.committed"]').evaluate("e => e.scrollIntoView({block: 'center'})")
    page.screenshot(path=str(TARGET / "editor-form.png"))
    page.locator('[data-key="time_limits.committed"]').get_by_role("textbox").fill("3个工作日")
    page.locator('[data-key="time_limits.statutory"]').get_by_role("textbox").fill("5个工作日")
    page.locator("#problems").get_by_text("没有发现问题").wait_for()
    page.get_by_role("button", name="保存…").click()
    page.get_by_role("dialog").get_by_label("变更", exact=True).check()
    page.get_by_role("dialog").get_by_label("理由或依据").fill("市政府办公室关于压缩审批时限的通知")
    page.screenshot(path=str(TARGET / "editor-submit.png"))
    page.close()
    server.shutdown()
    server.server_close()


def main() -> None:
    TARGET.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temporary:
        root = project(Path(temporary))
        subprocess.run([sys.executable, "-m", "generator", "build"], cwd=root, check=True, capture_output=True)
        handler = functools.partial(Quiet, directory=str(root / "site"))
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        server = f"http://127.0.0.1:{httpd.server_address[1]}/"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 900, "height": 900}, device_scale_factor=1)
            page.goto(server + "items/zjj/sgxk/")
            region(page, "h1", ".bs-summary", "item-top")
            region(page, "#history", ".bs-history", "item-history")
            phone = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=1)
            phone.goto(server + "items/zjj/sgxk/")
            phone.screenshot(path=str(TARGET / "item-phone.png"))  # the first screen a citizen sees on a phone
            phone.close()
            editor_form(browser, root)
            terminal(page, "cli-diff", run(root, "diff", "HEAD~1"))
            broken(root)
            terminal(page, "cli-validate", run(root, "validate", "procedures/zjj/spys.yml"))
            terminal(page, "cli-new", run(root, "new", "zjj", "sgxk-yq"))
            browser.close()
        httpd.shutdown()
    print(f"已写入 {TARGET}")


if __name__ == "__main__":
    main()
