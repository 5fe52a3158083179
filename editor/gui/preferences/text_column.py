"""The measure: the editor's text in a column of a set number of characters, centred."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QPlainTextEdit

MIN_COLUMN_CHARS = 20  # narrower settings are taken as this
# A character's width is the mean over running text (averageCharWidth is too narrow for
# proportional fonts: 72 "characters" of prose came out about 60).
SAMPLE = "The quick brown fox jumps over the lazy dog, then writes a letter. "


class TextColumn(QObject):
    """Keeps the editor's lines at most `chars` characters wide, in the middle of the pane.

    The space left and right is viewport margin (the scroll bar stays at the pane's edge); it
    follows the pane's size and the font. 0 characters: the text uses the whole pane.
    """

    def __init__(self, editor: QPlainTextEdit) -> None:
        super().__init__(editor)
        self.editor = editor
        self.chars = 0
        editor.installEventFilter(self)

    def set_chars(self, chars: int) -> None:
        """Set the measure in characters (0: the whole pane) and lay the text out again."""
        self.chars = max(0, chars)
        self.update()

    def column_width(self) -> int:
        """Return the text column's width in pixels for the current font (0: no limit)."""
        if not self.chars:
            return 0
        metrics = self.editor.fontMetrics()
        margin = 2 * self.editor.document().documentMargin()
        char_width = metrics.horizontalAdvance(SAMPLE) / len(SAMPLE)
        return int(max(MIN_COLUMN_CHARS, self.chars) * char_width + margin + 1)

    def update(self) -> None:
        """Centre the column in the pane as it is now."""
        editor = self.editor
        # the scroll bar's room is kept whether it shows or not, so that the column stays put
        available = editor.contentsRect().width() - editor.verticalScrollBar().sizeHint().width()
        column = self.column_width()
        side = max(0, (available - column) // 2) if column else 0
        editor.setViewportMargins(side, 0, side, 0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        """Follow the pane's size and font."""
        if event.type() in (QEvent.Type.Resize, QEvent.Type.FontChange):
            self.update()
        return False
