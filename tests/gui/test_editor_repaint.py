"""What the Markdown editor repaints and lays out again when the writer types (issue 16)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QPlainTextEdit

from editor.core.settings import Settings
from editor.gui.editing import MarkdownEditor

LINE = "A line of prose with *emphasis*, **strong words** and a [link](https://example.com/) in it."


class PaintRecorder(QObject):
    """Records the bounding rectangle of each paint of a widget."""

    def __init__(self) -> None:
        super().__init__()
        self.painted: list[QRect] = []

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Paint and isinstance(event, QPaintEvent):
            self.painted.append(event.region().boundingRect())
        return False


def editor_with(qtbot, text: str, spacing: int = 140) -> MarkdownEditor:
    """A shown editor holding `text`, lines spaced as in the writer's settings."""
    editor = MarkdownEditor()
    qtbot.addWidget(editor)
    editor.use_writing_settings(Settings(editor_line_spacing_percent=spacing))
    editor.resize(640, 600)
    editor.load_text(text)
    editor.show()
    qtbot.waitExposed(editor)
    editor.setFocus()
    return editor


def test_typing_inside_a_line_with_markup_repaints_that_line_only(qtbot) -> None:
    """The highlighter's new formats for the typed line arrive with the keystroke, line break
    included; Qt took the change to reach into the lines below, laid them out again and
    repainted the whole editor on every key."""
    editor = editor_with(qtbot, "\n".join([LINE] * 80) + "\n")
    block = editor.document().findBlockByNumber(8)
    cursor = editor.textCursor()
    cursor.setPosition(block.position() + len("A line"))
    editor.setTextCursor(cursor)
    recorder = PaintRecorder()
    editor.viewport().installEventFilter(recorder)
    editor.viewport().update()  # one paint of everything, with whatever was waiting
    qtbot.waitUntil(lambda: bool(recorder.painted))
    same_height: list[QRect] = []  # the repaint of each key that left the line's height alone
    try:
        for key in (Qt.Key.Key_W, Qt.Key.Key_O, Qt.Key.Key_Backspace, Qt.Key.Key_Backspace):
            painted = len(recorder.painted)
            height = editor.blockBoundingRect(block).height()
            qtbot.keyClick(editor, key)
            qtbot.waitUntil(lambda painted=painted: len(recorder.painted) > painted)
            if editor.blockBoundingRect(block).height() == height:  # else all below moves
                same_height.append(recorder.painted[painted])
    finally:
        editor.viewport().removeEventFilter(recorder)
    assert len(same_height) >= 2
    assert all(rect.height() < editor.viewport().height() / 3 for rect in same_height), same_height
    assert editor.toPlainText().splitlines()[8] == LINE


def block_rects(editor: QPlainTextEdit) -> list[tuple[float, float]]:
    """Each block's top and height as the editor lays it out."""
    rects, block = [], editor.document().firstBlock()
    while block.isValid():
        rect = editor.blockBoundingGeometry(block)
        rects.append((round(rect.top(), 2), round(rect.height(), 2)))
        block = block.next()
    return rects


def test_after_edits_of_every_kind_the_layout_is_that_of_the_text_laid_out_afresh(qtbot) -> None:
    """Line breaks typed and deleted, text that wraps and unwraps a line, a selection across a
    line break replaced by text ending in one: every line where a fresh editor puts it."""
    text = "\n".join([LINE, "", "short", "- item one", "- item two", LINE]) + "\n"
    editor = editor_with(qtbot, text)
    cursor = editor.textCursor()
    cursor.setPosition(len("A line"))
    editor.setTextCursor(cursor)
    qtbot.keyClicks(editor, " that now runs long enough to wrap onto one more line of the pane")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "new **line**")
    qtbot.keyClick(editor, Qt.Key.Key_Home)
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)  # joins the line to the one above
    start = editor.toPlainText().index("short")
    cursor.setPosition(start + 3)
    cursor.setPosition(start + len("short") + 4, cursor.MoveMode.KeepAnchor)  # "rt\n- i"
    editor.setTextCursor(cursor)
    editor.insertPlainText("X\n")
    cursor = editor.textCursor()
    cursor.setPosition(len("A line"))
    cursor.setPosition(len("A line") + 20, cursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)
    qtbot.keyClick(editor, Qt.Key.Key_Delete)  # the wrapped line unwraps
    qtbot.wait(0)
    fresh = editor_with(qtbot, editor.toPlainText())
    fresh.resize(editor.size())
    qtbot.waitUntil(lambda: fresh.viewport().width() == editor.viewport().width())
    assert block_rects(editor) == block_rects(fresh)
