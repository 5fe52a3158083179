"""Autosave: the open document's unsaved text goes to the recovery journal seconds after typing.

The journal is written a short idle time after the last keystroke (and at least every few
seconds while typing goes on), when the window loses focus, and before the window asks what to
do with unsaved changes. The entry is removed once the document is no longer modified (saved,
discarded, or undone back to the file). Disk work runs off the GUI thread, one job at a time in
the order asked, so a removal is never overtaken by an older write and the newest text wins.
"""

from __future__ import annotations

import logging
import uuid
from collections import deque
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from editor.core.atomic_file import WriteFailed
from editor.core.recovery_journal import JournalSession
from editor.core.settings import Settings
from editor.gui.document import DocumentController
from editor.gui.editing import MarkdownEditor
from editor.gui.workers import Task

Say = Callable[[str, int], None]  # show a message in the status bar for so many milliseconds

log = logging.getLogger(__name__)


class OrderedDiskJobs(QObject):
    """Runs disk jobs on one background thread strictly in order; a queued journal write of an
    entry is replaced by a newer write of the same entry (newest wins, nothing reordered)."""

    done = Signal(object)  # the result of a job that finished
    failed = Signal(object)  # the exception of a job that failed
    idle = Signal()  # the queue ran empty

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._queue: deque[tuple[str | None, Callable[..., Any], tuple[Any, ...]]] = deque()
        self._running: Task | None = None
        self._serial = 0

    def submit(self, function: Callable[..., Any], *args: Any, coalesce_key: str | None = None):
        """Queue `function(*args)`; with a key, it replaces a not yet started job of that key
        when that job is the last in the queue."""
        if coalesce_key is not None and self._queue and self._queue[-1][0] == coalesce_key:
            self._queue.pop()
        self._queue.append((coalesce_key, function, args))
        self._start_next()

    def _start_next(self) -> None:
        """Start the oldest queued job unless one is running."""
        if self._running is not None:
            return
        if not self._queue:
            self.idle.emit()
            return
        _key, function, args = self._queue.popleft()
        self._serial += 1
        task = Task(
            function,
            *args,
            tag=self._serial,
            on_success=self._finished,
            on_failure=self._job_failed,
        )
        self._running = task
        self._pool.start(task)

    def _finished(self, result: Any, serial: int) -> None:
        """A job ended: report it, start the next."""
        self._next_after(serial)
        self.done.emit(result)

    def _job_failed(self, error: Exception, serial: int) -> None:
        """A job failed: report it, then go on with the next."""
        self._next_after(serial)
        self.failed.emit(error)

    def _next_after(self, serial: int) -> None:
        """Mark the job `serial` as over and start the next one."""
        if self._running is not None and serial == self._serial:
            self._running = None
        self._start_next()

    @property
    def pending(self) -> int:
        """Return how many jobs are queued or running."""
        return len(self._queue) + (self._running is not None)

    def finish_now(self, msecs: int = 10000) -> None:
        """Wait for the running job, then run the queued ones here, in order (for shutdown)."""
        self._pool.waitForDone(msecs)
        self._running = None
        while self._queue:
            _key, function, args = self._queue.popleft()
            try:
                function(*args)
            except Exception as error:  # noqa: BLE001 (logged; shutting down)
                log.warning("recovery journal job failed at shutdown: %s", error)


class Autosave(QObject):
    """Journals the window's document while it holds unsaved work; see the module docstring."""

    journaled = Signal(str)  # the entry id just written (after the write finished)

    def __init__(
        self,
        editor: MarkdownEditor,
        document: DocumentController,
        settings: Settings,
        window: QWidget,
        say: Say,
    ) -> None:
        """Journal `document`'s text in `editor`; `window` losing focus journals at once."""
        super().__init__(window)
        self.window = window  # watched for losing focus, nothing else
        self.editor = editor
        self.document = document
        self.say = say
        self.jobs = OrderedDiskJobs(self)
        self.jobs.failed.connect(self._job_failed)
        self.jobs.done.connect(self._job_done)
        self.session: JournalSession | None
        try:
            self.session = JournalSession()
        except OSError as error:
            log.error("no recovery journal this session: %s", error)
            self.session = None
            say(
                "Unsaved text cannot be protected against a crash in this session: the "
                f"recovery folder cannot be written ({error}). Save often.",
                30000,
            )
        self.entry_id = uuid.uuid4().hex[:12]
        self._journaled_revision = -1  # the document revision last sent to the journal
        self._warned = False

        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.setInterval(max(0, settings.autosave_idle_ms))
        self.max_wait_timer = QTimer(self)
        self.max_wait_timer.setSingleShot(True)
        self.max_wait_timer.setInterval(max(0, settings.autosave_max_wait_ms))
        self.idle_timer.timeout.connect(self.journal_now)
        self.max_wait_timer.timeout.connect(self.journal_now)

        text_document = self.editor.document()
        text_document.contentsChanged.connect(self._typed)
        text_document.modificationChanged.connect(self._modification_changed)
        self.document.opened.connect(self._new_document)
        self.document.asking_about_unsaved.connect(self.journal_now)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self._application_state_changed)
        window.installEventFilter(self)

    # -- when to write ---------------------------------------------------------------------

    def _typed(self) -> None:
        """Text changed: journal after a pause, or after the longest wait while typing goes on."""
        if not self.document.is_modified:
            return
        self.idle_timer.start()
        if not self.max_wait_timer.isActive():
            self.max_wait_timer.start()

    def _modification_changed(self, modified: bool) -> None:
        """Journal work that became unsaved (even untyped: its file was deleted); drop the entry
        once the document matches its file again (saved, discarded, undone)."""
        if modified:
            self._typed()
        else:
            self._stop_timers()
            self._remove_entry()

    def _new_document(self, _post: object) -> None:
        """Another document is in the window: it gets its own entry."""
        self._remove_entry()
        self.entry_id = uuid.uuid4().hex[:12]

    def _application_state_changed(self, state: Qt.ApplicationState) -> None:
        """Journal when Draftpress stops being the active application."""
        if state != Qt.ApplicationState.ApplicationActive:
            self.journal_now()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        """Journal when the window loses focus to another window."""
        if watched is self.window and event.type() == QEvent.Type.WindowDeactivate:
            self.journal_now()
        return False

    # -- writing ---------------------------------------------------------------------------

    def journal_now(self) -> None:
        """Send the document's text to the journal now, if it has unsaved work not yet sent."""
        self._stop_timers()
        session = self.session
        if session is None or not self.document.is_modified:
            return
        revision = self.editor.document().revision()
        if revision == self._journaled_revision:
            return
        self._journaled_revision = revision
        post = self.document.post
        # Written every few seconds while the writer types: the whole document's check
        # (about 10 ms on the window's thread at 1 MB under load) is left to saving.
        text = self.editor.exact_text(whole_check=False)
        entry_id = self.entry_id

        def write() -> tuple[str, str]:
            session.write(
                entry_id,
                text,
                post.path,
                post.fingerprint,
                newline=post.newline,
                bom=post.bom,
                encoding=post.encoding,
            )
            return ("journaled", entry_id)

        self.jobs.submit(write, coalesce_key=f"write:{entry_id}")

    def run_in_order(self, function: Callable[..., Any], *args: Any) -> None:
        """Run a disk job after every journal job asked for so far."""
        self.jobs.submit(function, *args)

    def _remove_entry(self) -> None:
        """Queue the removal of the current document's entry."""
        self._journaled_revision = -1
        if self.session is not None:
            self.jobs.submit(self.session.remove, self.entry_id)

    def _stop_timers(self) -> None:
        """Cancel pending timed writes."""
        self.idle_timer.stop()
        self.max_wait_timer.stop()

    def _job_done(self, result: object) -> None:
        """Announce a finished journal write."""
        if isinstance(result, tuple) and result[0] == "journaled":
            self.journaled.emit(result[1])

    def _job_failed(self, error: Exception) -> None:
        """Say once per session that the journal could not be written (the text is still here)."""
        log.warning("recovery journal write failed: %s", error)
        if self._warned:
            return
        self._warned = True
        reason = error.strerror if isinstance(error, WriteFailed) else str(error)
        self.say(
            f"Your unsaved text could not be copied to the recovery journal ({reason}). "
            "Save soon to be safe.",
            15000,
        )

    def shut_down(self) -> None:
        """Finish every queued journal job and end the session (at a clean close)."""
        self._stop_timers()
        if self.document.is_modified:
            self.journal_now()
        self.jobs.finish_now()
        if self.session is not None:
            self.session.close()
            self.session = None
