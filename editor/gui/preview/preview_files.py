"""The preview's private page files: one temporary folder per process, none left after a kill.

The preview writes a page to disk only when it is too large for `setHtml` (and keeps an empty
folder as the base of its blank page). Each process's folder is named after its process id,
`draftpress-preview-<pid>-<random>`, and removed when the preview widget is deleted (its window
closed), or else when Python collects it or exits. A process that is killed cannot remove it, so
every new preview removes the folders whose process is gone. A folder of a process id since
reused by another program stays until that program ends too; folders without a process id in
their name (older versions) are left alone.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sys
import tempfile
import weakref
from pathlib import Path

log = logging.getLogger(__name__)

PREFIX = "draftpress-preview-"
_OWNED = re.compile(rf"{re.escape(PREFIX)}(\d+)-[^/\\]+")


class PageFolder:
    """A private folder (0700) for this process's preview pages, removed with the object."""

    def __init__(self) -> None:
        self.path = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-"))
        # also at interpreter exit; a kill leaves it to remove_orphaned_page_folders
        self.remover = weakref.finalize(self, shutil.rmtree, self.path, ignore_errors=True)

    def remove(self) -> None:
        """Remove the folder and its pages now (once; later calls do nothing)."""
        self.remover()


def owner_pid(folder: Path) -> int | None:
    """Return the process id a page folder is named after (None: not one of ours)."""
    match = _OWNED.fullmatch(folder.name)
    return int(match.group(1)) if match else None


def process_alive(pid: int) -> bool:
    """Tell whether a process with this id is running (unsure counts as running)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _windows_process_alive(pid)
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except OSError:  # e.g. another user's process: it exists
        return True
    return True


def _windows_process_alive(pid: int) -> bool:
    """Ask Windows whether a process is running (os.kill would end it there)."""
    import ctypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    query_limited_information, still_active = 0x1000, 259
    handle = kernel32.OpenProcess(query_limited_information, False, pid)
    if not handle:
        return ctypes.get_last_error() == 5  # access denied: it exists
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == still_active
    finally:
        kernel32.CloseHandle(handle)


def remove_orphaned_page_folders(temp_root: Path | None = None) -> list[Path]:
    """Remove the page folders of processes that are gone; return the folders removed."""
    root = Path(temp_root or tempfile.gettempdir())
    removed: list[Path] = []
    try:
        candidates = list(root.glob(f"{PREFIX}*"))
    except OSError as error:
        log.info("could not list the temporary folder %s: %s", root, error)
        return removed
    own_uid = os.getuid() if hasattr(os, "getuid") else None
    for folder in candidates:
        pid = owner_pid(folder)
        if pid is None or pid == os.getpid() or process_alive(pid):
            continue
        try:
            info = folder.lstat()
            if folder.is_symlink() or not folder.is_dir():
                continue
            if own_uid is not None and info.st_uid != own_uid:
                continue  # another user's (their own Draftpress removes it)
            shutil.rmtree(folder)
        except OSError as error:
            log.info("could not remove the old preview folder %s: %s", folder, error)
            continue
        log.info("removed the preview pages left by process %d: %s", pid, folder)
        removed.append(folder)
    return removed
