"""Atomic file writes: a temp file in the same folder, flushed, fsynced, then renamed over.

A symlink is written through: the file it points to is replaced (its temp file beside it) and
the link stays a link. A file whose permissions forbid writing is refused, even for root, whom
the OS would let replace it.
"""

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
TEMP_PREFIX_BYTES = 200  # the file's name in its temp file's name, cut to fit the 255-byte limit


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


class DanglingLink(WriteFailed):
    """A symlink whose target does not exist: nothing was written."""


def dangling_link_message(path: Path) -> str | None:
    """Say that `path` is a symlink to a missing file; None when it is not one."""
    try:
        if not path.is_symlink() or path.exists():
            return None
        target = os.readlink(path)
    except OSError:
        return None
    return f"“{path.name}” is a link to {target}, which does not exist."


def write_target(path: Path) -> Path:
    """Return the file a write to `path` must replace: `path`, or the end of its symlinks."""
    path = Path(path)
    if not path.is_symlink():
        return path
    message = dangling_link_message(path)
    if message is not None:
        raise DanglingLink(errno.ENOENT, message)
    return Path(os.path.realpath(path))


def read_only_message(path: Path, mode: int) -> str | None:
    """Say that `path` is read-only when its permissions forbid writing; None when writable.

    The mode bits are checked as well as access(): root may replace any file, and a rename needs
    only the folder's permission, yet a file marked read-only must stay as it is.
    """
    if mode & 0o222 and os.access(path, os.W_OK):
        return None
    return (
        f"“{path.name}” is read-only: Draftpress is not allowed to change it. "
        "Make the file writable to save over it."
    )


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
        name = os.path.join(path.parent, f".{_temp_prefix(path)}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY, mode)
        except FileExistsError:
            continue
        return fd, name
    raise FileExistsError(errno.EEXIST, f"No free temporary file name beside {path.name}")


def _temp_prefix(path: Path) -> str:
    """Return the file's name as its temp files start, cut at a character to fit the limit."""
    encoded = path.name.encode("utf-8", errors="surrogateescape")[:TEMP_PREFIX_BYTES]
    return encoded.decode("utf-8", errors="ignore")


def remove_stale_temp_files(path: Path) -> list[str]:
    """Delete temp files a killed save left beside `path` (old enough not to be in use)."""
    pattern = re.compile(rf"\.{re.escape(_temp_prefix(path))}\.[0-9a-f]{{8}}\.tmp")
    removed: list[str] = []
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
    """Replace `path` with `data` so that a crash leaves either the old or the new file.

    A symlink stays a link: the file it points to is replaced. Raises WriteFailed, in plain
    words, for a dangling link, a read-only file and whatever the disk refuses.
    """
    try:
        path = write_target(Path(path))
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = None
    except OSError as error:
        if isinstance(error, WriteFailed):
            raise
        raise WriteFailed(error.errno, describe_os_error(error, path)) from error
    if mode is not None:
        refusal = read_only_message(path, mode)
        if refusal is not None:
            raise WriteFailed(errno.EACCES, refusal)
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
