"""Pausing Python's cyclic garbage collector while a large acyclic structure is built.

Loading, checking or compiling a ruleset of thousands of rows allocates millions of
objects that all stay alive (YAML nodes and their marks, the parsed data, rules,
generated code). The cyclic collector keeps scanning them as they accumulate: on a
10 000-row ruleset it cost most of the load time (``benchmarks/bench_load.py``).
Nothing built there forms a reference cycle that must be freed early, so the collector
is paused for the duration and resumes afterwards; any cycle made meanwhile is collected
by its next run.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused"]


@contextmanager
def paused() -> Iterator[None]:
    """Disable the cyclic collector inside the block, re-enabling it only if it was on.

    Nested and concurrent uses are safe: a block entered while the collector is already
    off leaves it to the block that turned it off.
    """
    was_on = gc.isenabled()
    if was_on:
        gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
