"""Pausing Python's cyclic garbage collector around a batch that allocates many short-lived objects."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause the cyclic collector while a batch of rows or results is built.

    Why: building thousands of rows, records and results allocates a few hundred thousand small
    containers, none of them part of a reference cycle. Their allocation keeps triggering collector passes
    that walk every live object of the process (the whole Django heap, in the app) and find nothing to
    free: measured at a quarter of the scoring time. Reference counting still frees everything as usual;
    the collector resumes (if it was running) as soon as the batch is done.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
