"""Atomic file writes: a temp file in the same folder, flushed, fsynced, then renamed over."""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import secrets
import time
from pathlib import Path

log = logging.getLogger(__name__)

_O_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation
_DRIVE_GONE = {
    errno.EIO,
    *(getattr(errno, name) for name in ("ESTALE", "ENOTCONN", "EHOSTDOWN") if hasattr(errno, name)),
}
STALE_TEMP_SECONDS = 600  # a temp file this old was left by a save that was killed


class WriteFailed(OSError):
    """A write that did not happen; the message is in plain words and the old file is intact."""


def describe_os_error(error: OSError, path: Path) -> str:
    """Say in plain words why a file operation on `path` failed."""
    folder = path.parent
    if isinstance(error, PermissionError):
        return f"Draftpress is not allowed to write to “{path.name}” in {folder}."
    if error.errno == errno.ENOSPC:
        return f"The disk holding {folder} is full."
    if error.errno == errno.EROFS:
        return f"{folder} is on a read-only disk."
    if isinstance(error, FileNotFoundError):
        return f"The folder {folder} no longer exists."
    if error.errno in _DRIVE_GONE:
        return (
            f"The disk or network drive holding {folder} stopped answering "
            f"({error.strerror or 'input/output error'})."
        )
    if isinstance(error, IsADirectoryError):
        return f"“{path.name}” is a folder, not a file."
    return f"Could not write “{path.name}”: {error.strerror or error}."


def _fsync_folder(folder: Path) -> None:
    """Flush the folder entry so the rename survives a power cut (where the OS allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _create_temp_file(path: Path, mode: int) -> tuple[int, str]:
    """Create a fresh hidden temp file beside `path`; the OS applies the umask to `mode`.

    (tempfile.mkstemp would make every new file private, 0600, whatever the user's umask.)
    """
    for _ in range(100):
        name = os.path.join(path.parent, f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY, mode)
        except FileExistsError:
            continue
        return fd, name
    raise FileExistsError(errno.EEXIST, f"No free temporary file name beside {path.name}")


def remove_stale_temp_files(path: Path) -> list[str]:
    """Delete temp files a killed save left beside `path` (old enough not to be in use)."""
    pattern = re.compile(rf"\.{re.escape(path.name)}\.[0-9a-f]{{8}}\.tmp")
    removed = []
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return removed
    cutoff = time.time() - STALE_TEMP_SECONDS
    for entry in entries:
        if not pattern.fullmatch(entry.name):
            continue
        with contextlib.suppress(OSError):
            if entry.stat(follow_symlinks=False).st_mtime < cutoff:
                os.unlink(entry.path)
                removed.append(entry.name)
    if removed:
        log.info("removed temp files left by an interrupted save: %s", removed)
    return removed


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a crash leaves either the old or the new file."""
    path = Path(path)
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise WriteFailed(error.errno, describe_os_error(error, path)) from error
    tmp_name = None
    try:
        fd, tmp_name = _create_temp_file(path, 0o666 if mode is None else mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as error:
        raise WriteFailed(error.errno, describe_os_error(error, path)) from error
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
    _fsync_folder(path.parent)
    remove_stale_temp_files(path)
    log.debug("wrote %s (%d bytes)", path, len(data))
