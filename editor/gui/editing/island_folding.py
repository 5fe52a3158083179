"""Folding raw islands in the editor: one labelled line per island, the text never touched.

A folded island keeps its first line's block and hides the others (QTextBlock.setVisible and a
layout update: presentation only, the document's text and its undo history are unchanged). Its
first line is painted over with the island's label ("▸ Gallery, 2 images"). A click on that
line, Enter on it, typing into it, or the cursor landing in a hidden line (Find, Go to line)
unfolds the island. Where the islands are comes from `editor.render.raw_islands.find_islands`,
the detector the renderer uses.

The front matter's `remote:` publish record is folded the same way, as the first fold
(`record_folding` finds it and words its line). It is found again whenever the front matter
changes (a publish writes it, the Details form rewrites the front matter, Undo takes it back),
and stays folded unless the writer opened it.
"""

from __future__ import annotations

import bisect
import logging
from dataclasses import dataclass

from PySide6.QtCore import QObject, QRectF, Qt, QTimer
from PySide6.QtGui import (
    QKeyEvent,
    QPainter,
    QPalette,
    QTextBlock,
    QTextCursor,
)
from PySide6.QtWidgets import QPlainTextEdit

from editor.core.exact_text import VIEW_BREAK, text_view
from editor.core.front_matter import split_front_matter
from editor.gui.editing.markdown_highlighter import mix_colours
from editor.gui.editing.record_folding import find_record, is_record_line
from editor.render.raw_islands import find_islands

log = logging.getLogger(__name__)

FOLDED_MARK = "▸"
FRONT_MATTER_SCAN = 400  # lines looked through for the front matter's end
_EDITING_KEYS = (Qt.Key.Key_Backspace, Qt.Key.Key_Delete)
_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


@dataclass
class Fold:
    """One island the editor knows of: its first and last lines (cursors follow edits), label."""

    start: QTextCursor  # at the start of the island's first line
    end: QTextCursor  # at the start of its last line
    label: str
    folded: bool = False
    record: bool = False  # the front matter's publish record (always the first fold)

    def first_block(self) -> QTextBlock:
        """The island's first line."""
        return self.start.block()

    def last_block(self) -> QTextBlock:
        """The island's last line."""
        return self.end.block()


class IslandFolds(QObject):
    """Folds and unfolds the raw islands of one QPlainTextEdit, and paints folded labels."""

    def __init__(self, editor: QPlainTextEdit) -> None:
        super().__init__(editor)
        self.editor = editor
        self.folds: list[Fold] = []  # in document order
        self._folded = 0  # how many are folded
        self._starts: list[int] | None = None  # where each island starts, while still true
        self.record_wanted = True  # the publish record is shown folded until the writer opens it
        self._front_end = 0  # where the front matter ends: edits before it may move the record
        self._revision = editor.document().revision()
        self._record_check = QTimer(self)
        self._record_check.setSingleShot(True)
        self._record_check.setInterval(0)
        self._record_check.timeout.connect(self.refresh_record)
        editor.cursorPositionChanged.connect(self._cursor_moved)
        editor.document().contentsChange.connect(self._text_changed)

    def _text_changed(self, position: int, removed: int, added: int) -> None:
        """Forget the islands' positions when text moved them (not for format changes)."""
        if removed != added:
            self._starts = None
        revision = self.editor.document().revision()
        if revision != self._revision:  # the text changed (not only its highlighting)
            self._revision = revision
            if position <= self._front_end:
                self._record_check.start()

    def _fold_starts(self) -> list[int]:
        """Return where each island starts (in document order), computed once per edit."""
        if self._starts is None:
            self._starts = [fold.start.position() for fold in self.folds]
        return self._starts

    # -- finding and folding ---------------------------------------------------------------

    def scan(self, text: str | None = None) -> None:
        """Find the islands of the editor's text (given when the caller has it); all unfolded."""
        self._set_folded([fold for fold in self.folds if fold.folded], False)
        self._folded = 0
        document = self.editor.document()
        if text is None:
            text = document.toPlainText()
        body_start = split_front_matter(text).body_start
        body = text[body_start:]
        folds = []
        line, offset = _block_breaks(text[:body_start]), 0
        for island in find_islands(body):
            line += _block_breaks(body[offset : island.start])
            last = line + _block_breaks(body[island.start : island.end])
            offset = island.end
            first_block = document.findBlockByNumber(line)
            last_block = document.findBlockByNumber(last)
            line = last
            if not first_block.isValid() or not last_block.isValid():
                break  # the document is not this text (still loading)
            # QTextCursor(block) sets no x position: no layout, cheap for thousands of islands
            folds.append(Fold(QTextCursor(first_block), QTextCursor(last_block), island.label))
        self.folds = folds
        self._starts = None
        log.debug("%d raw islands found", len(folds))
        self.refresh_record()

    def _record(self) -> Fold | None:
        """Return the publish record's fold, if the text has one."""
        return self.folds[0] if self.folds and self.folds[0].record else None

    def refresh_record(self) -> None:
        """Find the publish record again (the front matter changed); fold it unless opened."""
        self._record_check.stop()
        document = self.editor.document()
        old = self._record()
        if old is not None:
            self._folded -= 1 if old.folded else 0
            self.folds.pop(0)
            self._starts = None
        found = find_record(document)
        # every front matter line visible, then the record folded again where it is now
        block, fence = document.firstBlock(), 0
        opens = block.isValid() and block.text().rstrip() == "---"
        while opens and block.isValid() and block.blockNumber() < 1 + FRONT_MATTER_SCAN:
            block.setVisible(True)
            if block.blockNumber() > 0 and block.text().rstrip() in ("---", "..."):
                fence = block.blockNumber()
                break
            block = block.next()
        end = document.findBlockByNumber(fence)
        self._front_end = end.position() + end.length() if fence else 0
        document.markContentsDirty(0, self._front_end)
        if found is not None:
            first = QTextCursor(document.findBlockByNumber(found.first))
            last = QTextCursor(document.findBlockByNumber(found.last))
            fold = Fold(first, last, found.label, record=True)
            self.folds.insert(0, fold)
            self._starts = None
            if self.record_wanted:
                self._set_folded([fold], True)
        self.editor.viewport().update()

    @property
    def any_folded(self) -> bool:
        """Tell whether any island is folded (the editor's event handlers ask first)."""
        return self._folded > 0

    def fold_all(self, text: str | None = None) -> None:
        """Find the islands and the publish record afresh and fold every one of them."""
        self.record_wanted = True
        self.scan(text)
        self._set_folded(self.folds, True)

    def unfold_all(self) -> None:
        """Show every island, and the publish record, in full."""
        self.record_wanted = False
        self._set_folded([fold for fold in self.folds if fold.folded], False)

    def unfold(self, fold: Fold) -> None:
        """Show one island (or the publish record) in full."""
        if fold.record:
            self.record_wanted = False
        self._set_folded([fold], False)

    def _set_folded(self, folds: list[Fold], folded: bool) -> None:
        """Hide (or show) the lines after the first of each island, then lay them out again."""
        if not folds:
            return
        document = self.editor.document()
        low, high = document.characterCount(), 0
        for fold in folds:
            self._folded += (1 if folded else 0) - (1 if fold.folded else 0)
            fold.folded = folded
            first, last = fold.first_block(), fold.last_block()
            block = first.next()
            while block.isValid() and block.blockNumber() <= last.blockNumber():
                block.setVisible(not folded)
                block = block.next()
            low = min(low, first.position())
            high = max(high, last.position() + last.length())
        document.markContentsDirty(low, max(0, high - low))
        self.editor.viewport().update()

    # -- unfolding on the writer's request -------------------------------------------------

    def folded_at(self, block: QTextBlock) -> Fold | None:
        """Return the folded island whose first line is `block`, if any."""
        if not self._folded:
            return None
        line = block.text()
        if not line.startswith("<!--") and not is_record_line(line):
            return None
        index = bisect.bisect_right(self._fold_starts(), block.position()) - 1
        if index < 0:
            return None
        fold = self.folds[index]
        if fold.folded and fold.first_block().blockNumber() == block.blockNumber():
            return fold
        return None

    def handle_key(self, event: QKeyEvent) -> bool:
        """Unfold the folded line the cursor is on before a key edits it; True: Enter eaten."""
        fold = self.folded_at(self.editor.textCursor().block())
        if fold is None:
            return False
        key = event.key()
        if key in _ENTER_KEYS and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.unfold(fold)
            return True
        if key in _EDITING_KEYS or (event.text() and event.text().isprintable()):
            self.unfold(fold)  # the edit goes on, visibly
        return False

    def handle_click(self, cursor: QTextCursor) -> None:
        """Unfold the island whose folded line was clicked."""
        fold = self.folded_at(cursor.block())
        if fold is not None:
            self.unfold(fold)

    def _cursor_moved(self) -> None:
        """Unfold an island when the cursor lands in one of its hidden lines (or selects on
        its folded line, as Find does)."""
        if not self._folded:
            return
        cursor = self.editor.textCursor()
        block = cursor.block()
        if block.isVisible():
            if cursor.hasSelection() and (fold := self.folded_at(block)) is not None:
                self.unfold(fold)
            return
        position = block.position()
        index = bisect.bisect_right(self._fold_starts(), position) - 1
        if index >= 0 and self.folds[index].folded:
            fold = self.folds[index]
            if position <= fold.end.position():
                self.unfold(fold)

    # -- painting --------------------------------------------------------------------------

    def paint(self, painter: QPainter) -> None:
        """Paint the label over the first line of every folded island on screen."""
        if not self._folded:
            return
        editor = self.editor
        top_block = editor.firstVisibleBlock()
        bottom = editor.cursorForPosition(editor.viewport().rect().bottomRight()).position()
        starts = self._fold_starts()
        index = max(0, bisect.bisect_right(starts, top_block.position()) - 1)
        palette = editor.palette()
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        muted = mix_colours(base, text, 0.55)
        box = mix_colours(base, text, 0.08)
        offset = editor.contentOffset()
        width = editor.viewport().width()
        for number in range(index, len(self.folds)):
            if starts[number] > bottom:
                break
            fold = self.folds[number]
            if not fold.folded:
                continue
            block = fold.first_block()
            rect = editor.blockBoundingGeometry(block).translated(offset)
            area = QRectF(0, rect.top(), width, rect.height())
            painter.fillRect(area, base)
            label_rect = area.adjusted(2, 1, -2, -1)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(box)
            painter.drawRoundedRect(label_rect, 4, 4)
            painter.setPen(muted)
            painter.drawText(
                label_rect.adjusted(6, 0, -6, 0),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                f"{FOLDED_MARK} {fold.label}",
            )


def _block_breaks(text: str) -> int:
    """Count the document blocks `text` ends (a bare CR or U+2029 starts a block, as LF does)."""
    return text_view(text).count(VIEW_BREAK)
