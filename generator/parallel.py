"""Work on large catalogs in one forked process per core, where that is safe.

Forked workers inherit the parent's memory (the loaded catalog), so only
their results cross process boundaries.  Where fork is not available or the
process already runs threads (``mkdocs serve``), the work runs here instead.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_FROM = 400
"""Below this many work items, one process is faster than several."""


def fork_map(function: Callable[[Sequence[T]], R], work: Sequence[T]) -> list[R]:
    """``function`` applied to consecutive chunks of ``work``, one chunk per core; results in order."""
    workers = os.cpu_count() or 1
    safe = "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
    if len(work) < PARALLEL_FROM or workers < 2 or not safe:
        return [function(work)]
    size = -(-len(work) // workers)
    chunks = [work[i : i + size] for i in range(0, len(work), size)]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(function, chunks))
