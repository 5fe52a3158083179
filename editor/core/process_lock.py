"""A lock on a file shared by every running Draftpress: one holder at a time, across processes.

The operating system lets the lock go when its holder closes the file or dies, so a crashed
Draftpress never leaves a lock behind. Used by the recovery journal (a session's lock), the
outbox (who sends; every change of outbox.json) and anything else several processes change.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class ProcessLock:
    """An exclusive lock on a file, held until released or the process ends."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None

    def try_acquire(self) -> bool:
        """Take the lock without waiting; False when another holder (here or elsewhere) has it."""
        fd = self._open()
        try:
            _lock_fd(fd, wait=False)
        except OSError:
            os.close(fd)
            return False
        self.fd = fd
        return True

    def acquire(self) -> None:
        """Take the lock, waiting while another holder has it."""
        fd = self._open()
        try:
            _lock_fd(fd, wait=True)
        except BaseException:
            os.close(fd)
            raise
        self.fd = fd

    def release(self) -> None:
        """Let the lock go (closing the file releases it)."""
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    @property
    def held(self) -> bool:
        """Tell whether this object holds the lock now."""
        return self.fd is not None

    def _open(self) -> int:
        """Open (creating) the lock file; the caller closes it."""
        if self.fd is not None:
            raise RuntimeError(f"{self.path} is already locked by this holder")
        return os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)


@contextmanager
def locked(path: Path) -> Iterator[ProcessLock]:
    """Hold the lock on `path` for the `with` block, waiting for it if another holder has it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = ProcessLock(path)
    lock.acquire()
    try:
        yield lock
    finally:
        lock.release()


def _lock_fd(fd: int, *, wait: bool) -> None:
    """Lock an open file exclusively; without `wait`, raise OSError when it is taken."""
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        mode = msvcrt.LK_LOCK if wait else msvcrt.LK_NBLCK  # type: ignore[attr-defined]
        msvcrt.locking(fd, mode, 1)  # type: ignore[attr-defined]
        return
    fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
