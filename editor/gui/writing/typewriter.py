"""Typewriter scrolling: the line being written stays in the middle of the pane."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QPlainTextEdit


class TypewriterScrolling(QObject):
    """Keeps the cursor's line vertically centred while on (the text scrolls, not the cursor)."""

    def __init__(self, editor: QPlainTextEdit) -> None:
        super().__init__(editor)
        self.editor = editor
        self.on = False
        editor.cursorPositionChanged.connect(self._centre)

    def set_on(self, on: bool) -> None:
        """Turn typewriter scrolling on or off."""
        self.on = on
        # room below the last line, so that it too can come to the middle
        self.editor.setCenterOnScroll(on)
        self._centre()

    def _centre(self) -> None:
        """Bring the cursor's line to the middle of the pane."""
        if self.on:
            self.editor.centerCursor()
