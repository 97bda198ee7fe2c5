"""Mutation fuzzing of the validator and the renderer over the demo tree.

Each case copies ``procedures/``, applies a few seeded mutations to one file
(lines deleted, duplicated, re-indented or cut; a value replaced by a list, a
mapping, a huge number, an escape, deep nesting; a stray YAML character), and
then runs ``load``.  Nothing may raise or hang.  When the mutated tree is
valid, its pages and charts' DOT are rendered too: what validates must build.

``python -m tests.fuzz --cases 3200`` runs a long campaign; the test suite
runs a short one with a fixed seed (tests/test_robustness.py).
"""

from __future__ import annotations

import argparse
import random
import shutil
import signal
import sys
import tempfile
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from generator.load import load
from generator.render.flowchart import flowchart_dot
from generator.render.opendata import OpenData
from generator.render.pages import PageRenderer
from generator.render.site import render_item, render_shared
from generator.speed.generate import views_of
from generator.versions import History

ROOT = Path(__file__).resolve().parent.parent

SNIPPETS = [
    "[a, b]",
    "{a: 1}",
    "yes",
    "~",
    '""',
    "-1",
    "9" * 5000,
    '"\\ud800"',
    '"\\u0000"',
    '"\\x85"',
    '"\\uffff"',
    "2023-02-29",
    "0000-01-01",
    "１２",
    "[" * 60 + "]" * 60,
    "&a x",
    "*a",
    "!!binary aGVsbG8=",
    "!!python/object:os.system 1",
    "|\n  多行\n  文字",
    '"' + "长" * 3000 + '"',
    "rsj/",
    "/",
    "other/",
    "forms/../../../etc/passwd",
    "https://x/<script>",
    "javascript:alert(1)",
    "当场",
    "1个工作日内",
    "\u202e反向",
    "😀𠀀",
    "0x1F",
    ".inf",
    "1e999",
]
STRAYS = [*":-[]{}&*!|>'\"%@`#,?\t\r\x00\x85\u2028", "---", "...", "<<: x", "\n  ", "\\"]


def _lines(text: str) -> list[str]:
    return text.split("\n")


def delete_line(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    del lines[rng.randrange(len(lines))]
    return "\n".join(lines)


def duplicate_line(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    index = rng.randrange(len(lines))
    lines.insert(index, lines[index])
    return "\n".join(lines)


def swap_lines(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[a], lines[b] = lines[b], lines[a]
    return "\n".join(lines)


def indent(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    index = rng.randrange(len(lines))
    shift = rng.choice([-4, -2, -1, 1, 2, 4])
    lines[index] = " " * shift + lines[index] if shift > 0 else lines[index][-shift:]
    return "\n".join(lines)


def stray(text: str, rng: random.Random) -> str:
    at = rng.randrange(len(text) + 1)
    return text[:at] + rng.choice(STRAYS) + text[at:]


def replace_value(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    candidates = [i for i, line in enumerate(lines) if ": " in line or line.strip().startswith("- ")]
    if not candidates:
        return text
    index = rng.choice(candidates)
    line = lines[index]
    head = line[: line.index(": ") + 2] if ": " in line else line[: line.index("- ") + 2]
    snippet = rng.choice(SNIPPETS).replace("\n", "\n" + " " * (len(head) - len(head.lstrip()) + 2))
    lines[index] = head + snippet
    return "\n".join(lines)


def truncate(text: str, rng: random.Random) -> str:
    return text[: rng.randrange(len(text) + 1)]


def swap_values(text: str, rng: random.Random) -> str:
    lines = [i for i, line in enumerate(_lines(text)) if ": " in line]
    if len(lines) < 2:
        return text
    all_lines = _lines(text)
    a, b = rng.sample(lines, 2)
    value_a = all_lines[a].split(": ", 1)[1]
    value_b = all_lines[b].split(": ", 1)[1]
    all_lines[a] = all_lines[a].split(": ", 1)[0] + ": " + value_b
    all_lines[b] = all_lines[b].split(": ", 1)[0] + ": " + value_a
    return "\n".join(all_lines)


MUTATIONS: list[Callable[[str, random.Random], str]] = [
    delete_line,
    duplicate_line,
    swap_lines,
    indent,
    stray,
    replace_value,
    replace_value,
    replace_value,
    truncate,
    swap_values,
]


def mutate(tree: Path, rng: random.Random) -> str:
    """Mutate one file of the tree a few times; return a description."""
    files = sorted(p for p in tree.rglob("*.yml") if "schema" not in p.parts)
    target = rng.choice(files)
    text = target.read_text(encoding="utf-8")
    names = []
    for _ in range(rng.randint(1, 3)):
        mutation = rng.choice(MUTATIONS)
        text = mutation(text, rng) if text else text
        names.append(mutation.__name__)
    target.write_bytes(text.encode("utf-8", "surrogatepass"))
    return f"{target.relative_to(tree)}: {', '.join(names)}"


class Hang(Exception):
    pass


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    def alarm(signum: int, frame: object) -> None:
        raise Hang(f"超过 {seconds} 秒")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@dataclass(frozen=True)
class Crash:
    case: int
    what: str
    error: str
    where: str


def check_case(tree: Path) -> None:
    """Validate the tree; when it is valid, render every page and chart source."""
    result = load(tree, tree.parent)
    if result.catalog is None:
        return
    renderer = PageRenderer(defer=True)
    data = OpenData("https://example.gov.cn/")
    records = []
    for view in views_of(result.catalog, History()):
        chart = None
        if view.procedure.flow:  # as the build: no chart for a guide that does not state its flow
            chart = f"<svg><!-- {len(flowchart_dot(view))} --></svg>"
        records.append(render_item(view, renderer, data, chart=chart).record)
    render_shared(result.catalog, records, renderer, data, lambda p: "")


def campaign(cases: int, seed: int, source: Path = ROOT / "procedures", seconds: int = 20) -> list[Crash]:
    crashes = []
    with tempfile.TemporaryDirectory() as folder:
        for case in range(cases):
            tree = Path(folder) / f"case{case}" / "procedures"
            shutil.copytree(source, tree)
            rng = random.Random(seed * 1_000_003 + case)
            what = mutate(tree, rng)
            try:
                with deadline(seconds):
                    check_case(tree)
            except BaseException as error:
                if isinstance(error, KeyboardInterrupt):
                    raise
                frame = traceback.extract_tb(error.__traceback__)[-1]
                crashes.append(
                    Crash(case, what, f"{type(error).__name__}: {error}"[:200], f"{frame.filename}:{frame.lineno}")
                )
            shutil.rmtree(tree.parent)
    return crashes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz")
    parser.add_argument("--cases", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    crashes = campaign(args.cases, args.seed)
    kinds = Counter((c.error.split(":")[0], c.where) for c in crashes)
    for (error, where), count in kinds.most_common():
        example = next(c for c in crashes if c.where == where and c.error.startswith(error))
        print(f"{count:5} × {error} at {where}\n        case {example.case}: {example.what}\n        {example.error}")
    print(f"{len(crashes)} crashes in {args.cases} cases", file=sys.stderr)
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
