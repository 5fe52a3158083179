"""The Markdown editor pane: a plain-text editor with highlighting and formatting commands."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMimeData, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QTextCursor,
)
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from editor.core.settings import Settings
from editor.gui.editing import formatting_commands, link_dialog, pasting
from editor.gui.editing.exact_text_tracker import ExactTextTracker
from editor.gui.editing.island_folding import IslandFolds
from editor.gui.editing.markdown_highlighter import MarkdownHighlighter
from editor.gui.editing.spell_check import SpellCheck
from editor.gui.editing.writing_layout import (
    CentredMeasure,
    SpacedLineLayout,
    writing_document,
    writing_font,
)

_HEADING_PREFIX = re.compile(r"^#{1,6}[ \t]+")
BULK_LOAD_CHARS = 200_000  # larger texts load in slices, highlighted in the background
LOAD_SLICE_CHARS = 64 * 1024


def _dropped_urls(mime: QMimeData) -> list[QUrl]:
    """Return the URLs carried by a drop or paste (files, folders, web addresses)."""
    return list(mime.urls()) if mime.hasUrls() else []


class MarkdownEditor(QPlainTextEdit):
    """Plain-text Markdown editing with bold, italic, code, link and heading commands.

    Dropped files and pasted image data are not inserted as text: they are announced by
    signal (with the text position they belong at) for the image tool to handle. Raw islands
    (WordPress blocks kept verbatim) are dimmed by the highlighter and folded once a text is
    loaded (`folds`). The text to save is `exact_text()`: toPlainText() would lose NBSP, U+2028,
    U+2029, U+FDD0/FDD1 and bare CRs (see `ExactTextTracker`).
    """

    files_dropped = Signal(list, int)  # [Path | str] (str: a non-local URL), text position
    image_pasted = Signal(QImage, int)
    loading_started = Signal()
    slices_loading = Signal(str)  # a long text, known whole before its slices are all in
    loading_finished = Signal(str)  # the whole text now in the editor

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDocument(writing_document(self, 1.0))  # lines spaced: `use_writing_settings`
        self.measure = CentredMeasure(self, 0)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setTabChangesFocus(False)
        self.setCenterOnScroll(False)
        self.setPlaceholderText("Write your post in Markdown…")
        self.highlighter = MarkdownHighlighter(self.document(), self.palette())
        self.highlighter.dim_punctuation = True
        self.exact = ExactTextTracker(self.document(), self)
        self._load: tuple[str, int, Callable[[], None] | None] | None = None
        self._load_timer = QTimer(self)
        self._load_timer.setInterval(0)
        self._load_timer.timeout.connect(self._load_next_slice)
        self.folds = IslandFolds(self)
        self.loading_finished.connect(self.folds.fold_all)
        self.spelling = SpellCheck(self)  # off until the window applies the settings
        self.loading_started.connect(self.spelling.hold)  # a long text: checked once it is in
        self.loading_finished.connect(self.spelling.release)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        """Colour the lines on screen not coloured yet (a long text), then paint the text,
        spelling underlines, then the labels of folded raw islands."""
        self._highlight_visible()
        super().paintEvent(event)
        if self.folds.any_folded or self.spelling.active:
            painter = QPainter(self.viewport())
            try:
                self.spelling.paint(painter, event.rect())
                self.folds.paint(painter)
            finally:
                painter.end()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 (Qt API)
        """The standard menu, with spelling corrections first on a misspelt word."""
        menu = self.createStandardContextMenu(event.pos())
        position = self.cursorForPosition(event.pos()).position()
        self.spelling.add_to_context_menu(menu, position, self.replace_range)
        menu.exec(event.globalPos())
        menu.deleteLater()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        """Enter on a folded raw island unfolds it; typing into one unfolds it first."""
        if self.folds.any_folded and self.folds.handle_key(event):
            event.accept()
            return
        super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        """A click on a folded raw island unfolds it."""
        if self.folds.any_folded and event.button() == Qt.MouseButton.LeftButton:
            self.folds.handle_click(self.cursorForPosition(event.position().toPoint()))
        super().mousePressEvent(event)

    def _highlight_visible(self) -> None:
        """Colour what is on screen: after a bulk load, without waiting for the background pass,
        and in a long text, the blocks coloured only where the writer looks (see
        `MarkdownHighlighter.show_window`).

        Called as the screen is painted, never while the document reports a change: Qt's
        highlighting of a block is an edit of its own, and one started from a signal of a
        change (the scroll bar moving as lines come or go) was reported with that change again.
        """
        if self.highlighter.window is None or self.loading:  # coloured once the text is in
            return
        shown = self.spelling.shown_blocks()  # folded lines take no room
        if not shown:
            return
        first, last = shown[0].blockNumber(), shown[-1].blockNumber()
        if self.highlighter.lazy_limit is not None:
            self.highlighter.highlight_now(first, last)
        self.highlighter.show_window(first, last)

    @property
    def loading(self) -> bool:
        """Tell whether a text is still being loaded slice by slice."""
        return self._load is not None

    def load_text(self, text: str, on_done: Callable[[], None] | None = None) -> None:
        """Replace the text without freezing the window, however long it is; no undo history.

        Up to BULK_LOAD_CHARS this is setPlainText. Longer texts go in slices, one per
        event-loop turn, the editor read-only meanwhile, highlighting following in the
        background. `loading_finished` (then `on_done`) tells when the whole text is in.
        """
        self._load_timer.stop()
        self._load = None
        self.loading_started.emit()
        self.exact.pause()
        if len(text) <= BULK_LOAD_CHARS:
            self.setReadOnly(False)
            self.highlighter.paint_every_block()
            self.document().setUndoRedoEnabled(True)  # a long text's load may have stopped
            self.setPlainText(text)
            self._finish_load(text, on_done)
            return
        self.highlighter.begin_bulk_load()
        self.document().setUndoRedoEnabled(False)
        self.setReadOnly(True)
        self.setPlainText(text[:LOAD_SLICE_CHARS])
        self._load = (text, LOAD_SLICE_CHARS, on_done)
        self._load_timer.start()
        self.slices_loading.emit(text)

    def _load_next_slice(self) -> None:
        """Append the next slice of the text being loaded."""
        if self._load is None:
            self._load_timer.stop()
            return
        text, offset, on_done = self._load
        end = offset + LOAD_SLICE_CHARS
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(text[offset:end])
        if end < len(text):
            self._load = (text, end, on_done)
            return
        self._load_timer.stop()
        self._load = None
        self.document().setUndoRedoEnabled(True)
        self.setReadOnly(False)
        self._finish_load(text, on_done)
        self.highlighter.highlight_in_background()
        self.viewport().update()  # the screen is coloured as it is painted

    def _finish_load(self, text: str, on_done: Callable[[], None] | None) -> None:
        """Announce a finished load."""
        self.exact.loaded(text)
        self.document().setModified(False)
        self.loading_finished.emit(text)
        if on_done is not None:
            on_done()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt API)
        """Accept file drops (to insert images) as well as text."""
        if _dropped_urls(event.mimeData()):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 (Qt API)
        """Show the drop point for file drops."""
        if _dropped_urls(event.mimeData()):
            self.setTextCursor(self.cursorForPosition(event.position().toPoint()))
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt API)
        """Hand dropped files and links to the image tool; drop text as usual."""
        urls = _dropped_urls(event.mimeData())
        if not urls:
            super().dropEvent(event)
            return
        position = self.cursorForPosition(event.position().toPoint()).position()
        items = [Path(url.toLocalFile()) if url.isLocalFile() else url.toString() for url in urls]
        event.acceptProposedAction()
        self.files_dropped.emit(items, position)

    def canInsertFromMimeData(self, source: QMimeData) -> bool:  # noqa: N802 (Qt API)
        """Allow pasting image data and copied files, not only text."""
        return source.hasImage() or source.hasUrls() or super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802 (Qt API)
        """Paste image data or copied image files through the image tool; text as plain text."""
        position = self.textCursor().position()
        if source.hasImage():
            image = source.imageData()
            if isinstance(image, QImage) and not image.isNull():
                self.image_pasted.emit(image, position)
                return
        local = [Path(u.toLocalFile()) for u in _dropped_urls(source) if u.isLocalFile()]
        if local and (not source.hasText() or source.text().startswith("file:")):
            self.files_dropped.emit(local, position)
            return
        pasting.paste_text(self, source)  # web pages as Markdown; a URL over words: a link

    def paste_plain_text(self) -> None:
        """Paste the clipboard's text as it is (no Markdown from web pages, no links)."""
        pasting.paste_plain_text(self)

    def set_editor_font(self, family: str, size: int, monospace: bool = False) -> None:
        """Use `family` (or the system's prose or fixed-width font when empty) at `size` points."""
        self.setFont(writing_font(family, size, monospace))
        self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * 4)

    def use_writing_settings(self, settings: Settings) -> None:
        """Set the font, the measure (line width) and the line spacing from the settings."""
        self.set_editor_font(
            settings.editor_font_family, settings.editor_font_size, settings.editor_monospace
        )
        self.measure.line_width = settings.editor_line_width
        self.measure.update()
        layout = self.document().documentLayout()
        spacing = max(100, min(300, settings.editor_line_spacing_percent)) / 100
        if isinstance(layout, SpacedLineLayout) and layout.spacing != spacing:
            layout.spacing = spacing
            self.document().markContentsDirty(0, self.document().characterCount())

    def exact_text(self, *, whole_check: bool = True) -> str:
        """Return the text to save: the file's own characters wherever the writer did not edit.

        `whole_check` False checks only what was edited since the last read against the
        document (see ExactTextTracker.text).
        """
        return self.exact.text(whole_check=whole_check)

    def replace_all_text(self, text: str) -> None:
        """Replace the whole document as one undoable edit (keeps the undo history)."""
        cursor = QTextCursor(self.document())
        with self.exact.inserting(0, self.document().characterCount() - 1, text):
            cursor.beginEditBlock()
            cursor.select(QTextCursor.SelectionType.Document)
            cursor.insertText(text)
            cursor.endEditBlock()

    def replace_range(self, start: int, end: int, text: str) -> None:
        """Replace characters [start, end) with `text` as one undoable edit."""
        cursor = QTextCursor(self.document())
        with self.exact.inserting(start, end, text):
            cursor.beginEditBlock()
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            cursor.insertText(text)
            cursor.endEditBlock()

    def toggle_wrap(self, marker: str) -> None:
        """Toggle a `marker` span on the selection; with none, start one or step out of it."""
        formatting_commands.toggle_span_in(self, marker)

    def make_bold(self) -> None:
        """Toggle **bold** on the selection."""
        self.toggle_wrap("**")

    def make_italic(self) -> None:
        """Toggle *italic* on the selection."""
        self.toggle_wrap("*")

    def make_code(self) -> None:
        """Toggle `code` on the selection; a multi-line selection becomes a fenced block."""
        cursor = self.textCursor()
        if "\u2029" not in cursor.selectedText():
            self.toggle_wrap("`")
            return
        text = cursor.selectedText().replace("\u2029", "\n")
        cursor.beginEditBlock()
        cursor.insertText(f"```\n{text.rstrip(chr(10))}\n```\n")
        cursor.endEditBlock()
        self.setTextCursor(cursor)

    def insert_link(self) -> None:
        """Make the selection a link: at once to the clipboard's web address, when it holds
        one (or the selection is an address); otherwise through the small link dialog."""
        address = formatting_commands.clipboard_url()
        if address or formatting_commands.selection_is_address(self):
            formatting_commands.insert_link_in(self, address)
        else:
            link_dialog.ask_for_link(self)

    def set_heading(self, level: int) -> None:
        """Make the current line(s) a heading of `level` (0: plain paragraph)."""
        cursor = self.textCursor()
        start_block = self.document().findBlock(cursor.selectionStart())
        end_block = self.document().findBlock(cursor.selectionEnd())
        edit = QTextCursor(self.document())
        edit.beginEditBlock()
        block = start_block
        while block.isValid():
            text = block.text()
            stripped = _HEADING_PREFIX.sub("", text)
            new_text = f"{'#' * level} {stripped}" if level else stripped
            if new_text != text:
                edit.setPosition(block.position())
                edit.setPosition(block.position() + len(text), QTextCursor.MoveMode.KeepAnchor)
                edit.insertText(new_text)
            if block == end_block:
                break
            block = block.next()
        edit.endEditBlock()
