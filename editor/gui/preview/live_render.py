"""Per-keystroke rendering: the editor's edits are fed, in order, to one background renderer.

`EditFeed` turns QTextDocument.contentsChange into edits (reading only the inserted text, never
the whole document) and falls back to sending the whole text whenever it cannot vouch for an
edit. `LiveRenderer` sends them to its IncrementalRenderer in the live render process
(`editor.render.live_render_process`: rendering there never holds this process's interpreter
lock, so it cannot stall the window): queued edits travel together, in order, one batch at a
time, and only the newest result is reported.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QTextCursor, QTextDocument

from editor.render.live_edits import (
    HEAD_CHARS,
    HEAD_FIRST_CHARS,
    Edit,
    EditApplier,
    EditedText,
    LiveResult,
    Resync,
    release_free_memory,
)
from editor.render.live_render_process import LiveRenderProcess, shared_render_process

log = logging.getLogger(__name__)

__all__ = [  # the render-side names are re-exported for the preview's other modules and tests
    "HEAD_CHARS",
    "HEAD_FIRST_CHARS",
    "PLAIN_TEXT",
    "Edit",
    "EditApplier",
    "EditFeed",
    "EditedText",
    "LiveRenderFailed",
    "LiveRenderer",
    "LiveResult",
    "Resync",
    "release_free_memory",
]

# What QTextDocument.toPlainText turns into plain characters (QTextCursor.selectedText does not).
PLAIN_TEXT = str.maketrans(
    {"\u2029": "\n", "\u2028": "\n", "\ufdd0": "\n", "\ufdd1": "\n", "\u00a0": " "}
)


class LiveRenderFailed(Exception):
    """The render process could not render a batch (its message says why)."""


class LiveRenderer(QObject):
    """One IncrementalRenderer in the render process, fed edits in order; newest result reported.

    Edits queued while a batch renders are applied together in the next batch; a Resync drops
    everything queued before it. Batches start at the end of the current event-loop turn (no
    debounce timer), so the edits of one user action travel together. If the render process
    dies, `restarted` asks for the whole text (the next batch starts a new process). The text
    itself never comes back from the render process: `edited` applies the same operations here
    (a copy, not a conversion of the whole QTextDocument), and each result is given the text
    of its batch.
    """

    rendered = Signal(object)  # LiveResult
    head_rendered = Signal(object)  # LiveResult of the first screens of a long new text
    failed = Signal(object)  # the exception; the next batch starts from the whole text
    restarted = Signal()  # the render process was lost: send the whole text again
    _answered = Signal(object)  # (kind, value) from the reader thread, delivered on ours

    def __init__(
        self, parent: QObject | None = None, process: LiveRenderProcess | None = None
    ) -> None:
        super().__init__(parent)
        self._process = process or shared_render_process()
        self._pending: list[Edit | Resync] = []
        self._running: int | None = None  # the serial of the batch in the render process
        self._serial = 0
        self.edited = EditedText()  # the text as of the newest operation submitted
        self._batch_text = ""  # the text as of the batch in the render process
        self.needs_resync = False  # set after a failure: the feed must send the whole text
        self._kick = QTimer(self)
        self._kick.setSingleShot(True)
        self._kick.setInterval(0)
        self._kick.timeout.connect(self._start)
        self._answered.connect(self._answer)
        self._key = self._process.register(self._deliver)
        self._process.prepare()  # the child's imports overlap the window's start-up
        forget, key = self._process.unregister, self._key  # the slot must not hold the view
        self.destroyed.connect(lambda *_args: forget(key))

    @property
    def process(self) -> LiveRenderProcess:
        """The render process this renderer's edits go to (thread-safe)."""
        return self._process

    @property
    def rendering_all(self) -> bool:
        """Tell whether the render process is rendering every operation submitted so far."""
        return self._running is not None and self._running == self._serial

    def _deliver(self, answer: tuple[str, Any]) -> None:
        """Pass an answer from the reader thread to this object's thread (a queued signal)."""
        with contextlib.suppress(RuntimeError):  # closed meanwhile
            self._answered.emit(answer)

    def submit(self, operation: Edit | Resync) -> int:
        """Queue an operation; return the serial of the render that will include it."""
        if isinstance(operation, Resync):
            self._pending.clear()
            self.needs_resync = False
        self.edited.apply(operation)
        self._pending.append(operation)
        self._serial += 1
        if self._running is None and not self._kick.isActive():
            self._kick.start()
        return self._serial

    def _start(self) -> None:
        """Send every queued operation to the render process as one batch."""
        if self._running is not None or not self._pending:
            return
        operations, self._pending = self._pending, []
        self._running = self._serial
        self._batch_text = self.edited.text
        self._process.send(self._key, operations, self._serial)

    def _answer(self, answer: tuple[str, Any]) -> None:
        """Handle an answer of the render process (on the GUI thread)."""
        kind, value = answer
        if kind == "head":
            self.head_rendered.emit(value)
            return
        self._running = None
        if kind == "rendered":
            if value is not None:
                self.rendered.emit(replace(value, text=self._batch_text))
        elif kind == "failed":
            log.warning("the live preview render failed: %s", value)
            self.needs_resync = True
            self.failed.emit(LiveRenderFailed(value))
        elif kind == "died":
            self._pending.clear()
            self.needs_resync = True
            self.restarted.emit()
        self._start()

    def wait_idle(self, msecs: int = 5000) -> bool:
        """Drop queued edits (for shutdown); the batch being rendered is left to finish."""
        del msecs
        self._pending.clear()
        self._kick.stop()
        return True


class EditFeed(QObject):
    """Listens to a QTextDocument and feeds its edits to a LiveRenderer, validating each."""

    def __init__(self, document: QTextDocument, renderer: LiveRenderer) -> None:
        super().__init__(renderer)
        self.document = document
        self.renderer = renderer
        self.suspended = False
        self.resyncs = 0  # how often the whole text had to be sent (for tests and logs)
        self._length = max(0, document.characterCount() - 1)  # UTF-16 length last fed
        document.contentsChange.connect(self._changed)

    def suspend(self) -> None:
        """Ignore changes (a bulk load is filling the document); `resync` ends it."""
        self.suspended = True

    def resume(self) -> None:
        """End a suspension whose text the renderer was given as it began (a bulk load)."""
        self.suspended = False
        self._length = self.document.characterCount() - 1

    def resync(self, text: str | None = None) -> int:
        """Send the whole text (the document's, unless given); return the render's serial."""
        self.suspended = False
        if text is None:
            text = self.document.toPlainText()
        self.resyncs += 1
        self._length = self.document.characterCount() - 1
        return self.renderer.submit(Resync(text))

    def _changed(self, position: int, removed: int, added: int) -> None:
        """Turn one contentsChange into an Edit, or resync when it cannot be trusted."""
        if self.suspended:
            return
        old_length = self._length
        new_length = self.document.characterCount() - 1
        if (
            self.renderer.needs_resync
            or position < 0
            or position + removed > old_length
            or old_length - removed + added != new_length
        ):
            log.debug("resync after contentsChange(%d, %d, %d)", position, removed, added)
            self.resync()
            return
        if removed == 0 and added == 0:
            return
        cursor = QTextCursor(self.document)
        cursor.setPosition(position)
        cursor.setPosition(position + added, QTextCursor.MoveMode.KeepAnchor)
        text = cursor.selectedText().translate(PLAIN_TEXT) if added else ""
        self._length = new_length
        self.renderer.submit(Edit(position, removed, text))
