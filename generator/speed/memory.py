"""Pausing the cyclic garbage collector while many YAML files are read.

YAML node trees are many small objects without cycles, and collecting them
again and again made loading grow faster than the number of files.  Only the
command-line edge pauses it, around validation; ``load()`` itself has no
process-wide effects, and MkDocs runs with the collector on.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
