"""Per-keystroke rendering: the editor's edits are fed, in order, to one background renderer.

`EditFeed` turns QTextDocument.contentsChange into edits (reading only the inserted text, never
the whole document) and falls back to sending the whole text whenever it cannot vouch for an
edit. `LiveRenderer` owns one IncrementalRenderer on a private one-thread pool: queued edits are
applied together, in order, and only the newest result is reported.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal
from PySide6.QtGui import QTextCursor, QTextDocument

from editor.gui.workers import Task
from editor.render.incremental import IncrementalRenderer
from editor.render.piece_delta import RenderDelta, RenderedBlock
from editor.render.preview_render import preview_delta, preview_pieces

log = logging.getLogger(__name__)

# What QTextDocument.toPlainText turns into plain characters (QTextCursor.selectedText does not).
PLAIN_TEXT = str.maketrans(
    {"\u2029": "\n", "\u2028": "\n", "\ufdd0": "\n", "\ufdd1": "\n", "\u00a0": " "}
)
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


_SCAN_CHARS = 256 * 1024  # regex scans go in slices so that the GUI thread gets the GIL

# A new text longer than this is shown in two steps: its first screens at once (rendered
# alone, so a reference defined further down may show unresolved for a moment), then all of it.
# The first render of a 1 MB post takes seconds; its first 30 KB take about a tenth of one.
HEAD_FIRST_CHARS = 150_000
HEAD_CHARS = 30_000


def release_free_memory() -> None:
    """Give the C heap's free pages back to the system (glibc only; a no-op elsewhere).

    Rendering a long post from scratch allocates and frees a lot; glibc keeps those pages,
    which the process would otherwise carry for as long as the post is open.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """Return glibc's malloc_trim, looked up once (find_library runs ldconfig), or None."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def head_of(text: str) -> str:
    """Return the first screens of a long text, cut at a blank line."""
    cut = text.rfind("\n\n", 0, HEAD_CHARS)
    return text[: cut if cut > 0 else HEAD_CHARS]


def count_astral(text: str) -> int:
    """Count the characters outside the BMP (two UTF-16 code units each) in `text`."""
    if text.isascii():
        return 0
    return sum(
        len(_ASTRAL.findall(text, start, start + _SCAN_CHARS))
        for start in range(0, len(text), _SCAN_CHARS)
    )


@dataclass(frozen=True)
class Edit:
    """One change as QTextDocument reports it: UTF-16 position and removed count, new text."""

    position: int
    removed: int
    added: str


@dataclass(frozen=True)
class Resync:
    """The whole text: render it from scratch."""

    text: str


@dataclass(frozen=True)
class LiveResult:
    """A finished render: the text it is of, and the body HTML piece by piece or its change.

    A render of a whole text carries every piece (`blocks`); a batch of edits carries only
    `delta`, the change from the previous result (`blocks` is then empty).
    """

    serial: int
    text: str
    blocks: tuple[RenderedBlock, ...]
    too_slow: tuple[tuple[int, int, str], ...] = ()  # parts shown as a notice (lines, why)
    delta: RenderDelta | None = None


class EditApplier:
    """Applies edits to the text and the renderer (runs only on the render thread)."""

    def __init__(self) -> None:
        # Made by the first batch, on the render thread: building Python-Markdown and importing
        # its extensions is not the window's start-up work.
        self._renderer: IncrementalRenderer | None = None
        self.rendered = False  # the renderer holds a render
        self.astral = 0  # characters outside the BMP in `text` (each is 2 UTF-16 units)
        self.on_head: Callable[[LiveResult], None] | None = None  # first screens of a long text

    @property
    def renderer(self) -> IncrementalRenderer:
        """The renderer (made on first use, by the render thread)."""
        if self._renderer is None:
            self._renderer = IncrementalRenderer()
        return self._renderer

    @property
    def text(self) -> str:
        """The text rendered (the renderer's: one copy)."""
        return self._renderer.text if self._renderer is not None else ""

    def _python_range(self, position: int, removed: int) -> tuple[int, int]:
        """Convert a UTF-16 (position, removed) into Python indexes of `text`."""
        if not self.astral:
            return position, position + removed
        units = self.text.encode("utf-16-le")
        start = len(units[: 2 * position].decode("utf-16-le", "surrogatepass"))
        end = len(units[: 2 * (position + removed)].decode("utf-16-le", "surrogatepass"))
        return start, end

    def apply(self, operations: list[Edit | Resync], serial: int) -> LiveResult | None:
        """Apply operations in order; return the new render, or None if nothing changed."""
        changed = whole = False
        for operation in operations:
            if isinstance(operation, Resync):
                if operation.text != self.text or not self.rendered:
                    self._show_head_first(operation.text, serial)
                    self.astral = count_astral(operation.text)
                    self.renderer.update(operation.text)
                    self.rendered = True
                    if len(operation.text) > HEAD_FIRST_CHARS:
                        release_free_memory()
                    changed = whole = True
                continue
            start, end = self._python_range(operation.position, operation.removed)
            old = self.text[start:end]
            if old == operation.added:
                continue  # a format-only change (the highlighter), or a no-op replace
            self.astral += count_astral(operation.added) - count_astral(old)
            self.renderer.edit(start, end - start, operation.added)
            changed = True
        if not changed:
            return None
        delta = self.renderer.take_delta()  # the change since the last result, edits folded
        too_slow = tuple(self.renderer.too_slow)
        if whole:  # the view may show another text's pieces (the head of a long post)
            return LiveResult(serial, self.text, preview_pieces(self.renderer.blocks), too_slow)
        return LiveResult(serial, self.text, (), too_slow, preview_delta(delta))

    def _show_head_first(self, text: str, serial: int) -> None:
        """Report the first screens of a long new text before the whole of it is rendered."""
        if self.on_head is None or len(text) <= HEAD_FIRST_CHARS:
            return
        if self.rendered and text[:2000] == self.text[:2000]:
            return  # the same post, changed: the incremental render is quick
        head = head_of(text)
        renderer = IncrementalRenderer()
        renderer.render(head)
        self.on_head(LiveResult(serial, head, preview_pieces(renderer.blocks)))


def _apply_batch(applier: EditApplier, batch: tuple[list[Edit | Resync], int]) -> LiveResult | None:
    """Run one batch on the render thread."""
    operations, serial = batch
    return applier.apply(operations, serial)


class LiveRenderer(QObject):
    """One IncrementalRenderer off the GUI thread, fed edits in order; newest result reported.

    Edits queued while a batch renders are applied together in the next batch; a Resync drops
    everything queued before it. Batches start at the end of the current event-loop turn (no
    debounce timer), so the edits of one user action travel together.
    """

    rendered = Signal(object)  # LiveResult
    head_rendered = Signal(object)  # LiveResult of the first screens of a long new text
    failed = Signal(object)  # the exception; the next batch starts from the whole text

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._applier = self._new_applier()
        self._pending: list[Edit | Resync] = []
        self._running: Task | None = None
        self._serial = 0
        self.needs_resync = False  # set after a failure: the feed must send the whole text
        self._kick = QTimer(self)
        self._kick.setSingleShot(True)
        self._kick.setInterval(0)
        self._kick.timeout.connect(self._start)

    def _new_applier(self) -> EditApplier:
        """Return a fresh applier whose head-first results reach the GUI thread by signal."""
        applier = EditApplier()
        applier.on_head = self.head_rendered.emit  # emitted on the render thread: queued
        return applier

    def submit(self, operation: Edit | Resync) -> int:
        """Queue an operation; return the serial of the render that will include it."""
        if isinstance(operation, Resync):
            self._pending.clear()
            self.needs_resync = False
        self._pending.append(operation)
        self._serial += 1
        if self._running is None and not self._kick.isActive():
            self._kick.start()
        return self._serial

    def _start(self) -> None:
        """Hand every queued operation to the render thread as one batch."""
        if self._running is not None or not self._pending:
            return
        batch = (self._pending, self._serial)
        self._pending = []
        task = Task(
            _apply_batch,
            self._applier,
            batch,
            tag=self._serial,
            on_success=self._succeeded,
            on_failure=self._failed,
        )
        self._running = task
        self._pool.start(task)

    def _succeeded(self, result: LiveResult | None, _serial: int) -> None:
        """Report a finished batch and start the next one."""
        self._running = None
        if result is not None:
            self.rendered.emit(result)
        self._start()

    def _failed(self, error: Exception, _serial: int) -> None:
        """Report a failed batch; the renderer's state is unknown, so resync from the text."""
        self._running = None
        log.warning("the live preview render failed: %s", error)
        self._applier = self._new_applier()
        self.needs_resync = True
        self.failed.emit(error)
        self._start()

    def wait_idle(self, msecs: int = 5000) -> bool:
        """Drop queued edits and wait for the running batch (for shutdown)."""
        self._pending.clear()
        self._kick.stop()
        return self._pool.waitForDone(msecs)


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
