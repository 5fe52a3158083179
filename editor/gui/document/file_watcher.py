"""Watches the open post's file and reports, read off the GUI thread, what another program did."""

from __future__ import annotations

import logging
import os

from PySide6.QtCore import QFileSystemWatcher, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication

from editor.core.disk_state import DiskState, read_disk_state
from editor.core.post import Post
from editor.gui.workers import run_in_background

log = logging.getLogger(__name__)

SETTLE_MS = 250  # sync tools and editors write in bursts: look once they are done


class FileWatcher(QObject):
    """Reports a DiskState for the watched post whenever its file or folder changes.

    QFileSystemWatcher drops a file once it is replaced by a rename (an atomic save, ours or
    another editor's), so the folder is watched too and the file is added again after each
    look. When the application becomes active again it looks too, in case a change was missed.
    """

    state_read = Signal(object)  # DiskState

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._touched)
        self._watcher.directoryChanged.connect(self._touched)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self.check_now)
        self._post: Post | None = None
        self._reading = False
        self._again = False
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self._app_state_changed)

    def watch(self, post: Post) -> None:
        """Watch the file `post` came from (or was saved to); stop watching any other file."""
        previous = self._post.path if self._post is not None else None
        self._post = post
        if post.path != previous:
            self._unwatch_all()
        self._rewatch()

    def stop(self) -> None:
        """Watch nothing (e.g. an untitled post)."""
        self._post = None
        self._unwatch_all()

    def check_now(self) -> None:
        """Read the file's state in the background; the result comes as `state_read`."""
        post = self._post
        if post is None or post.path is None:
            return
        if self._reading:
            self._again = True
            return
        self._reading = True
        path = post.path
        run_in_background(
            read_disk_state,
            path,
            post.fingerprint,
            post.encoding,
            on_success=self._read,
            on_failure=lambda error: self._read(DiskState(path, "unreadable", problem=f"{error}")),
        )

    def _read(self, state: DiskState) -> None:
        """Hand on a state read for the file still watched; look again if asked meanwhile."""
        self._reading = False
        self._rewatch()
        if self._post is not None and state.path == self._post.path:
            self.state_read.emit(state)
        if self._again:
            self._again = False
            self.check_now()

    def _touched(self, _path: str) -> None:
        """Look at the file once the burst of writes is over."""
        self._settle.start()

    def _app_state_changed(self, state: Qt.ApplicationState) -> None:
        """Look when the writer comes back to the application."""
        if state == Qt.ApplicationState.ApplicationActive:
            self.check_now()

    def _rewatch(self) -> None:
        """Make sure the file (if it exists) and its folder are watched."""
        post = self._post
        if post is None or post.path is None:
            return
        watched = set(self._watcher.files()) | set(self._watcher.directories())
        real_folder = os.path.dirname(os.path.realpath(post.path))  # a symlinked post's target
        for path in dict.fromkeys((str(post.path), str(post.path.parent), real_folder)):
            if path not in watched:
                self._watcher.addPath(path)  # False (and nothing watched) if it is gone

    def _unwatch_all(self) -> None:
        """Forget every watched path."""
        paths = self._watcher.files() + self._watcher.directories()
        if paths:
            self._watcher.removePaths(paths)
