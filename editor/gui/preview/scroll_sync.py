"""Editor and preview scroll together, by source line <-> rendered piece, both ways.

Python knows the source line where each piece of the preview starts (PreviewView.block_lines);
the page's script speaks only of piece indexes. A scroll we cause on one side is never sent
back: the editor's is fenced by a flag (its signal is synchronous), the preview's is recognised
by the page script (it remembers the position it scrolled to).
"""

from __future__ import annotations

import bisect
import logging

from PySide6.QtCore import QObject, QTimer

from editor.gui.editing import MarkdownEditor
from editor.gui.preview.preview_view import PreviewView

log = logging.getLogger(__name__)


def block_at_line(block_lines: list[int], line: float, line_count: int) -> tuple[int, float]:
    """Return (piece index, fraction into it) of the piece holding source line `line`."""
    if not block_lines:
        return 0, 0.0
    index = max(0, bisect.bisect_right(block_lines, line) - 1)
    start = block_lines[index]
    end = block_lines[index + 1] if index + 1 < len(block_lines) else max(line_count, start + 1)
    if line < start:
        return index, 0.0
    return index, min(1.0, (line - start) / max(1, end - start))


def line_of_block(block_lines: list[int], index: int, fraction: float, line_count: int) -> float:
    """Return the source line `fraction` of the way into piece `index`."""
    if not block_lines:
        return 0.0
    index = min(max(0, index), len(block_lines) - 1)
    start = block_lines[index]
    end = block_lines[index + 1] if index + 1 < len(block_lines) else max(line_count, start + 1)
    return start + fraction * (end - start)


class ScrollSync(QObject):
    """Keeps the preview on the editor's top line and the editor on the preview's top piece."""

    def __init__(self, editor: MarkdownEditor, preview: PreviewView, follow_cursor: bool) -> None:
        super().__init__(editor)
        self.editor = editor
        self.preview = preview
        self.follow_cursor = follow_cursor
        self._scrolling_editor = False  # the editor is being scrolled by us, from the preview
        self._reveal = QTimer(self)
        self._reveal.setSingleShot(True)
        self._reveal.setInterval(0)
        self._reveal.timeout.connect(self.reveal_cursor)
        editor.verticalScrollBar().valueChanged.connect(self._editor_scrolled)
        editor.cursorPositionChanged.connect(self._cursor_moved)
        preview.scrolled_by_reader.connect(self._preview_scrolled)
        preview.body_applied.connect(self._body_applied)

    def editor_top_line(self) -> float:
        """Return the source line at the top of the editor (with the part scrolled past)."""
        bar = self.editor.verticalScrollBar()
        document = self.editor.document()
        block = document.findBlockByLineNumber(bar.value())
        if not block.isValid():
            return 0.0
        inside = (bar.value() - block.firstLineNumber()) / max(1, block.lineCount())
        return block.blockNumber() + min(1.0, max(0.0, inside))

    def _editor_scrolled(self, value: int) -> None:
        """Show in the preview the piece that holds the editor's top line."""
        if self._scrolling_editor:
            return
        bar = self.editor.verticalScrollBar()
        if value <= bar.minimum() or value >= bar.maximum() > 0:
            self.preview.scroll_to_end(value > bar.minimum())
            return
        index, fraction = block_at_line(
            self.preview.block_lines, self.editor_top_line(), self.editor.blockCount()
        )
        self.preview.scroll_to_block(index, fraction)

    def _preview_scrolled(self, index: int, fraction: float) -> None:
        """The reader scrolled the preview: bring the piece's source line to the editor's top."""
        line = line_of_block(self.preview.block_lines, index, fraction, self.editor.blockCount())
        block = self.editor.document().findBlockByNumber(int(line))
        if not block.isValid():
            return
        within = int((line - int(line)) * max(1, block.lineCount()))
        self._scrolling_editor = True
        try:
            self.editor.verticalScrollBar().setValue(block.firstLineNumber() + within)
        finally:
            self._scrolling_editor = False

    def _cursor_moved(self) -> None:
        """Reveal the cursor's piece once this event-loop turn is over."""
        if self.follow_cursor:
            self._reveal.start()

    def _body_applied(self, _serial: int) -> None:
        """A new render may have moved the cursor's piece: reveal it again."""
        if self.follow_cursor and self.editor.hasFocus():
            self._reveal.start()

    def reveal_cursor(self) -> None:
        """Scroll the preview to the cursor's piece when that piece is off-screen."""
        line = self.editor.textCursor().blockNumber()
        index, _fraction = block_at_line(self.preview.block_lines, line, self.editor.blockCount())
        self.preview.reveal_block(index)

    def set_follow_cursor(self, follow: bool) -> None:
        """Turn "the preview follows the cursor" on or off."""
        self.follow_cursor = follow
        if follow:
            self._reveal.start()
