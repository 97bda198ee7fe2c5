"""Edit to view under ``mkdocs serve``: how long after one item's YAML is saved its page shows the change.

    .venv/bin/python -m tests.bench.serve [--items 1000] [--rounds 5]

``mkdocs serve --livereload`` runs in a synthetic project (tests/bench/synthetic.py); once its first build is
served, each round renames one item (a name shows on its page, its department's page, the indexes and the
search) and asks for the item's page every 50 ms until the new name is there.  Target: ≤ 2 s at 1,000 items.
The server's own lines about each rebuild (``快速重建：… 秒`` for a quick one) are printed after the rounds.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from .synthetic import make_project

TARGET_SECONDS = 2.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, OSError):
        return ""


@contextlib.contextmanager
def serving(project: Path, log: Path) -> Iterator[str]:
    """``mkdocs serve`` in ``project``; its address once the first build is served."""
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "serve", "--livereload", "-a", f"127.0.0.1:{port}"]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            address = f"http://127.0.0.1:{port}/"
            deadline = time.monotonic() + 900
            while not fetch(address):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"mkdocs serve did not start:\n{log.read_text(errors='replace')[-3000:]}")
                time.sleep(0.2)
            yield address
        finally:
            process.terminate()
            process.wait(30)


def edit_to_view(project: Path, rounds: int = 5) -> list[float]:
    """Seconds from saving a renamed item to its page showing the new name, for each round."""
    item = sorted((project / "procedures").glob("d*/item-*.yml"))[0]
    url = f"items/{item.parent.name}/{item.stem}/"
    original = item.read_text(encoding="utf-8")
    name = next(line for line in original.splitlines() if line.startswith("name: "))
    seconds: list[float] = []
    try:
        with serving(project, project / "serve.log") as address:
            for round_ in range(rounds):
                marker = f"（改动{round_ + 1}）"
                started = time.perf_counter()
                item.write_text(original.replace(name, name + marker, 1), encoding="utf-8")
                while marker not in fetch(address + url):
                    if time.perf_counter() - started > 300:
                        raise SystemExit(f"{url} never showed {marker}")
                    time.sleep(0.05)
                seconds.append(time.perf_counter() - started)
                time.sleep(1)  # let the livereload server settle before the next edit
    finally:
        item.write_text(original, encoding="utf-8")
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.serve", description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="banshi-serve-") as work:
        project = make_project(Path(work) / "project", args.items)
        seconds = edit_to_view(project, args.rounds)
        said = (project / "serve.log").read_text(encoding="utf-8", errors="replace").splitlines()
    for line in said:
        if "快速重建" in line or "Documentation built" in line:
            print(line.strip())
    worst = max(seconds)
    print(
        f"{args.items:,} 项：改动到看见 中位数 {statistics.median(seconds):.2f} s，最慢 {worst:.2f} s（{len(seconds)} 次）"
    )
    print(("✓ " if worst <= TARGET_SECONDS else "✗ ") + f"最慢 {worst:.2f} s ≤ {TARGET_SECONDS} s")
    return 0 if worst <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
