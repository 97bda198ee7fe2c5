"""Work on large catalogs in one forked process per core, where that is safe.

Forked workers inherit the parent's memory, so the context (the loaded
catalog, say) reaches them without being pickled: it is handed to each worker
by the pool's initializer, and only the chunks of work and their results
cross process boundaries.  Where fork is not available or the process already
runs threads (``mkdocs serve``), the work runs here instead.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

C = TypeVar("C")
T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Parallel:
    """When to fork."""

    threshold: int = 400
    """Below this many work items, one process is faster than several."""
    workers: int = 0
    """How many processes; 0 means one per core."""

    @property
    def count(self) -> int:
        return self.workers or os.cpu_count() or 1


@dataclass(frozen=True)
class _Job(Generic[C, T, R]):
    function: Callable[[C, Sequence[T]], R]
    context: C


_job: _Job[Any, Any, Any] | None = None
"""In a worker process only: the job its pool's initializer handed it."""


def _start(job: _Job[Any, Any, Any]) -> None:
    global _job
    _job = job


def _run(chunk: Sequence[Any]) -> Any:
    assert _job is not None, "set by the pool's initializer"
    return _job.function(_job.context, chunk)


def fork_safe() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def fork_map(
    function: Callable[[C, Sequence[T]], R], context: C, work: Sequence[T], parallel: Parallel | None = None
) -> list[R]:
    """``function(context, chunk)`` for consecutive chunks of ``work``, one chunk per worker; results in order."""
    setting = parallel or Parallel()
    workers = setting.count
    if len(work) < setting.threshold or workers < 2 or not fork_safe():
        return [function(context, work)]
    size = -(-len(work) // workers)
    chunks = [work[i : i + size] for i in range(0, len(work), size)]
    fork = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=fork, initializer=_start, initargs=(_Job(function, context),)) as pool:
        return list(pool.map(_run, chunks))
