"""Keeps the post's exact text in step with the editor's document, edit by edit.

The document is the source of truth only for what the writer types: every contentsChange is
applied to an `ExactText` (editor/core/exact_text.py), so a bare CR, U+2029, U+FDD0/FDD1, NBSP
and U+2028 the writer did not edit are saved as the file had them. An undo or redo brings such
characters back as they were; text the app inserts itself goes in exactly as given.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject
from PySide6.QtGui import QTextCursor, QTextDocument

from editor.core.exact_text import ExactText, editor_length, text_view, to_units

log = logging.getLogger(__name__)


def document_view(document: QTextDocument, start: int = 0, end: int | None = None) -> str:
    """Return the document's characters in [start, end) with block breaks as U+2029."""
    last = document.characterCount() - 1
    end = last if end is None else min(end, last)
    if end <= start:
        return ""
    cursor = QTextCursor(document)
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    return cursor.selectedText()


class ExactTextTracker(QObject):
    """The exact text under one QTextDocument: what saving, publishing and the journal read."""

    def __init__(self, document: QTextDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.exact = ExactText()
        self.resyncs = 0  # how often the text had to be mended from the whole view (tests)
        self._paused = False
        self._command_added = False
        self._undo_steps = document.availableUndoSteps()
        self._unchecked: tuple[int, int] | None = None  # edited since the last check
        document.contentsChange.connect(self._changed)
        document.undoCommandAdded.connect(self._command)

    # -- loading and the app's own edits ---------------------------------------------------

    def pause(self) -> None:
        """Ignore the document's changes until `loaded` (a text is being loaded)."""
        self._paused = True

    def loaded(self, text: str) -> None:
        """The document now shows `text`: hold it exactly."""
        self._paused = False
        self.exact.reset(text)
        self._undo_steps = self.document.availableUndoSteps()
        self._mend()

    @contextmanager
    def inserting(self, start: int, end: int, text: str) -> Iterator[None]:
        """Around the app's own edit replacing document positions [start, end) with `text`."""
        last = self.document.characterCount() - 1
        start, end = max(0, min(start, last)), max(0, min(end, last))
        was_paused = self._paused
        self._paused = True
        try:
            yield
        finally:
            self._paused = was_paused
        if was_paused:
            return
        shown = document_view(self.document, start, start + editor_length(text))
        self.exact.replace(start, end - start, shown, exact=text)
        self._edited(start, editor_length(text))
        self._undo_steps = self.document.availableUndoSteps()
        self._command_added = False
        if len(self.exact) != self.document.characterCount() - 1:
            self._mend()

    # -- reading ---------------------------------------------------------------------------

    def text(self, *, whole_check: bool = True) -> str:
        """Return the exact text, first checked against the document.

        The check reads the whole document (a few milliseconds at 1 MB); with `whole_check`
        False, only the span edited since the last check (what a journal write while the
        writer types can afford). Either way a text that does not agree is mended.
        """
        if self._paused:
            return self.exact.text()
        if whole_check:
            if text_view(self.exact.text()) != document_view(self.document):
                self._mend()
            self._unchecked = None
            return self.exact.text()
        if self._unchecked is not None:
            start, tail = self._unchecked
            end = len(self.exact) - tail
            if start < end and self.exact.view(start, end) != to_units(
                document_view(self.document, start, end)
            ):
                self._mend()
            self._unchecked = None
        return self.exact.text()

    def _edited(self, position: int, added: int) -> None:
        """Widen the span not yet checked to the document positions [position, position+added).

        Kept as (start, distance of its end from the document's end): an edit before the span
        moves its end with the text, one after it leaves both alone.
        """
        tail = len(self.exact) - position - added
        if self._unchecked is not None:
            start, old_tail = self._unchecked
            position, tail = min(start, position), min(old_tail, tail)
        self._unchecked = (position, tail)

    # -- following the document ------------------------------------------------------------

    def _command(self) -> None:
        """A new undo step was recorded: the next change is the writer's, not a replay."""
        self._command_added = True

    def _changed(self, position: int, removed: int, added: int) -> None:
        """Apply one reported change; mend from the whole view when the report cannot be true."""
        if self._paused:
            return
        undo_steps = self.document.availableUndoSteps()
        replay = not self._command_added and undo_steps != self._undo_steps
        self._undo_steps = undo_steps
        self._command_added = False
        old_length = len(self.exact)
        new_length = self.document.characterCount() - 1
        if (
            position < 0
            or position + removed > old_length
            or old_length - removed + added != new_length
        ):
            log.debug("mending after contentsChange(%d, %d, %d)", position, removed, added)
            self._mend()
            return
        if removed == 0 and added == 0:
            return
        shown = document_view(self.document, position, position + added)
        self.exact.replace(position, removed, shown, replay=replay)
        self._edited(position, added)

    def _mend(self) -> None:
        """Bring the exact text in line with the whole document, keeping what agrees."""
        if self.exact.reconcile(document_view(self.document)):
            self.resyncs += 1
        self._unchecked = None
