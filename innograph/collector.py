"""Python's cyclic garbage collector, paused while a large batch of acyclic objects is built.

A process holding a large graph (the embedded store's 100,000 entities, a loader's rows) pays
for every full collection with a walk over all of it; building thousands of objects at once (an
issue-diff's result models, a load's rows) sets off such collections again and again: 70-80% of
an issue-diff over the 100k benchmark graph, 6-7 s of a load's 8 s of row building. What is
built there holds no reference cycles, so reference counting frees it all the same.

:func:`collector_paused` is one pause shared by the whole process: the first holder (a question,
a load, in any thread) pauses the collector, the last to finish restores it as the first found
it, so holders overlapping in threads or nested in one another never turn it back on early,
and a collector the caller had turned off stays off.

>>> import gc
>>> with collector_paused():
...     with collector_paused():   # nested: still paused when the inner one ends
...         pass
...     gc.isenabled()
False
>>> gc.isenabled()
True
"""
from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holders = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """The collector paused until the last holder ends (a context manager, or a decorator: ``@collector_paused()``)."""
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                gc.enable()
