"""How the editor sets prose: a writing font, line spacing, and a measure centred in the pane.

QPlainTextEdit's document layout ignores a block format's line height, so `SpacedLineLayout`
spaces lines itself: it lays a block out as Qt does, then moves each line down by the extra
spacing (half above, half below). The text, its undo history and its formats are untouched;
hit testing and the cursor follow the moved lines because they read the same line positions.
The measure (about `line_width` characters) is kept by viewport margins recomputed on resize.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QFont,
    QFontDatabase,
    QMouseEvent,
    QPalette,
    QTextBlock,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QPlainTextDocumentLayout, QPlainTextEdit

log = logging.getLogger(__name__)

# A character's width is the mean over running text: one glyph's ("0", or averageCharWidth)
# is too wide or too narrow for a proportional font.
_RUNNING_TEXT = "The quick brown fox jumps over the lazy dog, then writes a letter. "
MIN_SIDE_MARGIN = 12  # pixels of air beside the text even when the pane is narrow


class SpacedLineLayout(QPlainTextDocumentLayout):
    """A plain-text document layout whose lines are `spacing` times their natural height."""

    def __init__(self, document: QTextDocument, spacing: float = 1.0) -> None:
        super().__init__(document)
        self.spacing = spacing

    def blockBoundingRect(self, block: QTextBlock) -> QRectF:  # noqa: N802 (Qt API)
        """Return the block's rectangle with its lines spaced (moving them the first time).

        Called by Qt for every block it paints or measures, so it asks Qt as little as it
        can: Qt's own rectangle already reaches down to the last (moved) line and includes
        the margin below the last block; only the half spacing below the last line is added.
        """
        rect = super().blockBoundingRect(block)
        if self.spacing <= 1.0 or not rect.height():  # hidden lines and invalid blocks: empty
            return rect
        layout = block.layout()
        first = layout.lineAt(0)
        extra = first.height() * (self.spacing - 1.0)
        if abs(first.y() - extra / 2) > 0.01:  # laid out afresh by Qt: space the lines
            y = extra / 2
            for number in range(layout.lineCount()):
                line = layout.lineAt(number)
                line.setPosition(QPointF(line.x(), y))
                y += line.height() + extra
            rect = super().blockBoundingRect(block)
        rect.setHeight(rect.height() + extra / 2)
        return rect


def writing_document(editor: QPlainTextEdit, spacing: float) -> QTextDocument:
    """Return a new document for `editor` whose lines are spaced by `spacing`."""
    document = QTextDocument(editor)
    document.setDocumentLayout(SpacedLineLayout(document, spacing))
    return document


def writing_font(family: str, size: int, monospace: bool) -> QFont:
    """Return the editor's font: `family` if named, else the system's prose (or fixed) font."""
    if family:
        font = QFont(family)
    elif monospace:
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    else:
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
    font.setPointSize(max(6, size))
    return font


class CentredMeasure(QObject):
    """Keeps an editor's text about `line_width` characters wide, centred in its pane."""

    def __init__(self, editor: QPlainTextEdit, line_width: int) -> None:
        super().__init__(editor)
        self.editor = editor
        self.line_width = line_width
        # the margins are part of the page: painted in the text's background colour
        editor.setBackgroundRole(QPalette.ColorRole.Base)
        editor.setAutoFillBackground(True)
        editor.installEventFilter(self)
        self.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        """Recompute the margins when the pane is resized or its font changes; a click in a
        side margin puts the cursor on the nearest character of that line."""
        if event.type() in (QEvent.Type.Resize, QEvent.Type.FontChange):
            self.update()
        elif event.type() == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            return self._click_in_margin(event)
        return False

    def _click_in_margin(self, event: QMouseEvent) -> bool:
        """Place the cursor for a left click beside the text (the viewport never sees it)."""
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        editor = self.editor
        viewport = editor.viewport()
        point = viewport.mapFrom(editor, event.position().toPoint())
        if viewport.rect().contains(point):
            return False
        inside = QPoint(
            min(max(point.x(), 0), viewport.width() - 1),
            min(max(point.y(), 0), viewport.height() - 1),
        )
        cursor: QTextCursor = editor.cursorForPosition(inside)
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            anchor = editor.textCursor().anchor()
            cursor.setPosition(anchor)
            cursor.setPosition(
                editor.cursorForPosition(inside).position(), QTextCursor.MoveMode.KeepAnchor
            )
        editor.setTextCursor(cursor)
        editor.setFocus(Qt.FocusReason.MouseFocusReason)
        return True

    def text_width(self) -> int:
        """Return the width in pixels the measure asks for (0: the whole pane)."""
        if self.line_width <= 0:
            return 0
        metrics = self.editor.fontMetrics()
        return int(metrics.horizontalAdvance(_RUNNING_TEXT) / len(_RUNNING_TEXT) * self.line_width)

    def update(self) -> None:
        """Set side margins that centre a column of the measure's width in the pane."""
        editor = self.editor
        scroll_bar = editor.verticalScrollBar()
        bar = scroll_bar.sizeHint().width() if scroll_bar.isVisible() else 0
        frame = 2 * editor.frameWidth()
        available = editor.width() - frame - bar
        width = self.text_width()
        side = 0  # no measure: the text fills the pane, as a code editor's does
        if width:
            wanted = width + 2 * editor.document().documentMargin()
            side = int(max(MIN_SIDE_MARGIN, (available - wanted) // 2))
        margins = editor.viewportMargins()
        if margins.left() != side or margins.right() != side:
            editor.setViewportMargins(side, 0, side, 0)
            log.debug("editor measure: %d px margins in a %d px pane", side, available)
