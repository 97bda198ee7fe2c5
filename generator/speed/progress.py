"""Stage progress for long builds: a bar on a terminal, plain lines in CI logs.

``python -m generator build`` makes a :class:`Progress` and hands it to the
MkDocs plugin instance, which reports its stages to it; everything else gets
its own silent one (:meth:`Progress.silent`).  Every stage's duration is kept
in :attr:`Progress.timings` for the benchmark.
"""

from __future__ import annotations

import resource
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

BAR_WIDTH = 24
REDRAW_SECONDS = 0.1


class Stage:
    """One stage: counts work done, and redraws the bar on a terminal."""

    def __init__(self, progress: Progress, name: str, total: int) -> None:
        self.progress = progress
        self.name = name
        self.total = total
        self.done = 0
        self.note = ""
        """Said after the count when the stage ends, e.g. ``（渲染 3 个，缓存 997 个）``."""
        self.started = time.perf_counter()
        self._drawn = 0.0
        self._lock = threading.Lock()

    def advance(self, count: int = 1) -> None:
        """Record finished work; safe to call from worker threads."""
        with self._lock:
            self.done += count
            now = time.perf_counter()
            if self.progress.interactive and now - self._drawn >= REDRAW_SECONDS:
                self._drawn = now
                self.progress.draw(self)

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started


class Progress:
    """Reports stages to a stream; ``interactive`` draws a bar (default: when the stream is a terminal)."""

    def __init__(self, stream: TextIO | None = None, interactive: bool | None = None, quiet: bool = False) -> None:
        self.stream = stream or sys.stderr
        self.interactive = self.stream.isatty() if interactive is None else interactive
        self.quiet = quiet
        self.timings: dict[str, float] = {}
        self.counts: dict[str, int] = {}
        """Counters worth reporting, e.g. ``dot`` runs."""
        self.peaks: dict[str, float] = {}
        """This process's peak resident memory (MiB) when each stage ended: where the peak of a build is reached."""
        self.open: dict[str, Stage] = {}

    @classmethod
    def silent(cls) -> Progress:
        """A progress that prints nothing (but still keeps timings and counts)."""
        return cls(quiet=True, interactive=False)

    @contextmanager
    def stage(self, name: str, total: int = 0) -> Iterator[Stage]:
        """A stage that ends when the block ends."""
        stage = self.start(name, total)
        try:
            yield stage
        finally:
            self.finish(name)

    def start(self, name: str, total: int = 0) -> Stage:
        """Begin a stage that another hook will finish (see :meth:`finish`)."""
        stage = Stage(self, name, total)
        self.open[name] = stage
        if not self.quiet and not self.interactive:
            self._write(f"{name}：开始" + (f"，共 {total} 个" if total else "") + "\n")
        return stage

    def advance(self, name: str, count: int = 1) -> None:
        """Record work on an open stage, if there is one by that name (hooks of other tools)."""
        stage = self.open.get(name)
        if stage is not None:
            stage.advance(count)

    def finish(self, name: str) -> None:
        stage = self.open.pop(name, None)
        if stage is None:
            return
        self.timings[name] = self.timings.get(name, 0.0) + stage.elapsed
        self.peaks[name] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if self.quiet:
            return
        count = f" {stage.done} 个" if stage.total or stage.done else ""
        line = f"{name}：完成{count}{stage.note}，{stage.elapsed:.1f} 秒"
        self._write(("\r\x1b[2K" if self.interactive else "") + line + "\n")

    def say(self, text: str) -> None:
        """A line for the person watching (warnings, notes), unless quiet."""
        if not self.quiet:
            self._write(text.rstrip("\n") + "\n")

    def draw(self, stage: Stage) -> None:
        if self.quiet:
            return
        if stage.total:
            filled = min(BAR_WIDTH, BAR_WIDTH * stage.done // stage.total)
            bar = "█" * filled + "░" * (BAR_WIDTH - filled)
            text = f"{stage.name} {bar} {stage.done}/{stage.total}  {stage.elapsed:.0f} 秒"
        else:
            text = f"{stage.name} {stage.done}  {stage.elapsed:.0f} 秒"
        self._write("\r\x1b[2K" + text)

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()
