"""``mkdocs serve --livereload`` rebuilds the pages when a YAML file under procedures/ changes."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from .conftest import copy_project


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _fetch(url: str, deadline: float, wanted: str) -> str:
    text = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                text = response.read().decode("utf-8")
            if wanted in text:
                return text
        except OSError:
            pass
        time.sleep(0.5)
    return text


def test_editing_yaml_while_serving_rebuilds_the_item(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--livereload", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/items/rsj/jydj/"
        before = _fetch(url, time.monotonic() + 120, "就业登记")
        assert "<strong>不用跑</strong>（0 次）" in before
        item = project / "procedures" / "rsj" / "jydj.yml"
        item.write_text(item.read_text(encoding="utf-8").replace("visits: 0", "visits: 1"), encoding="utf-8")
        after = _fetch(url, time.monotonic() + 120, "最多跑 <strong>1 次</strong>")
        assert "最多跑 <strong>1 次</strong>" in after
    finally:
        server.terminate()
        server.wait(timeout=30)
