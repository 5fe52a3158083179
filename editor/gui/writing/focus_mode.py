"""Focus mode: everything but the paragraph (or sentence) being written is dimmed."""

from __future__ import annotations

import re

from PySide6.QtCore import QObject
from PySide6.QtGui import QColor, QPalette, QTextBlock, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

OFF, PARAGRAPH, SENTENCE = "off", "paragraph", "sentence"
MODES = (OFF, PARAGRAPH, SENTENCE)
DIM_PROPERTY = QTextFormat.Property.UserProperty + 12  # marks our selections among others'
DIM_STRENGTH = 0.32  # how much of the ink the dimmed text keeps (0: invisible)
# A sentence ends at . ! ? or … followed by closing quotes or brackets, then a space.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)")


def sentence_around(text: str, offset: int) -> tuple[int, int]:
    """Return the start and end in `text` of the sentence holding `offset`."""
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        if offset <= end:
            return start + _blank_prefix(text[start:end]), end
        start = end
    return start + _blank_prefix(text[start:]), len(text)


def _blank_prefix(text: str) -> int:
    """Return how many blanks `text` starts with."""
    return len(text) - len(text.lstrip())


def paragraph_blocks(block: QTextBlock) -> tuple[QTextBlock, QTextBlock]:
    """Return the first and last line of the paragraph (lines between blank lines) at `block`."""
    if not block.text().strip():
        return block, block
    first = block
    while first.previous().isValid() and first.previous().text().strip():
        first = first.previous()
    last = block
    while last.next().isValid() and last.next().text().strip():
        last = last.next()
    return first, last


class FocusMode(QObject):
    """Dims the text around the cursor's paragraph or sentence (extra selections, no edits)."""

    def __init__(self, editor: QPlainTextEdit) -> None:
        super().__init__(editor)
        self.editor = editor
        self.mode = OFF
        self.lit: tuple[int, int] | None = None  # the range at full strength (None: mode off)
        editor.cursorPositionChanged.connect(self.refresh)
        editor.textChanged.connect(self.refresh)

    def set_mode(self, mode: str) -> None:
        """Dim all but the paragraph or the sentence, or nothing (OFF)."""
        self.mode = mode if mode in MODES else OFF
        self.refresh()

    def refresh(self) -> None:
        """Dim again around where the cursor is now."""
        editor = self.editor
        if self.mode == OFF and self.lit is None:
            return  # nothing of ours to take away: typing with focus mode off costs nothing
        others = [
            selection
            for selection in editor.extraSelections()
            if not selection.format.hasProperty(DIM_PROPERTY)
        ]
        if self.mode == OFF:
            self.lit = None
            editor.setExtraSelections(others)
            return
        start, end = self._lit_range(editor.textCursor())
        self.lit = (start, end)
        dim = QTextCharFormat()
        palette = editor.palette()
        base, ink = palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)
        pairs = (
            (base.redF(), ink.redF()), (base.greenF(), ink.greenF()), (base.blueF(), ink.blueF())
        )
        dim.setForeground(QColor.fromRgbF(*(b + (i - b) * DIM_STRENGTH for b, i in pairs)))
        dim.setProperty(DIM_PROPERTY, True)
        document_end = editor.document().characterCount() - 1
        mine = []
        for a, b in ((0, start), (end, document_end)):
            if b > a:
                selection = QTextEdit.ExtraSelection()
                cursor = QTextCursor(editor.document())
                cursor.setPosition(a)
                cursor.setPosition(b, QTextCursor.MoveMode.KeepAnchor)
                selection.cursor = cursor
                selection.format = dim
                mine.append(selection)
        editor.setExtraSelections(mine + others)

    def _lit_range(self, cursor: QTextCursor) -> tuple[int, int]:
        """Return the document range of the cursor's paragraph (or sentence)."""
        first, last = paragraph_blocks(cursor.block())
        start = first.position()
        end = last.position() + len(last.text())
        if self.mode != SENTENCE:
            return start, end
        text = "\n".join(_lines(first, last))
        a, b = sentence_around(text, cursor.position() - start)
        return start + a, start + b


def _lines(first: QTextBlock, last: QTextBlock) -> list[str]:
    """Return the texts of the lines from `first` to `last`."""
    lines, block = [], first
    while block.isValid():
        lines.append(block.text())
        if block == last:
            break
        block = block.next()
    return lines
