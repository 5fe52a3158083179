"""Child processes started by `spawn`, without multiprocessing's resource tracker (no Qt).

On POSIX, starting the first `spawn` child also starts multiprocessing's resource tracker: one
more Python process (about 7 MiB of memory of its own) whose only work is to remove named
semaphores and shared memory that a crashed process leaves behind. Draftpress's children (the
live render process and the render worker) talk over pipes only and create neither, so the
tracker would run for nothing. `spawn_context` gives the tracker an address that writes to
/dev/null: multiprocessing takes it for a running tracker (its liveness probe is a write) and
hands it to each child in turn, which finds it the same way.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import multiprocessing
import os
from multiprocessing import resource_tracker
from multiprocessing.context import SpawnContext

log = logging.getLogger(__name__)


def spawn_context() -> SpawnContext:
    """Return multiprocessing's spawn context, its resource tracker left unstarted."""
    _silence_resource_tracker()
    return multiprocessing.get_context("spawn")


@functools.cache
def _silence_resource_tracker() -> None:
    """Point this process's resource tracker at /dev/null unless one already runs."""
    tracker = getattr(resource_tracker, "_resource_tracker", None)
    lock = getattr(tracker, "_lock", None)
    if tracker is None or lock is None or not hasattr(tracker, "_fd"):
        log.info("multiprocessing's resource tracker is not as expected: left to start")
        return
    with lock:
        if tracker._fd is not None:  # started already (a child of ours, or someone's use)
            return
        with contextlib.suppress(OSError):
            tracker._fd = os.open(os.devnull, os.O_WRONLY | os.O_CLOEXEC)
