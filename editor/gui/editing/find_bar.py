"""Find and replace: a bar under the editor (Ctrl+F, Ctrl+H; Esc closes it)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class FindBar(QWidget):
    """Searches the editor's text; replaces one match or all of them as one undo step."""

    def __init__(self, editor: QPlainTextEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.find_edit = QLineEdit()
        self.find_edit.setPlaceholderText("Find")
        self.find_edit.setClearButtonEnabled(True)
        self.replace_edit = QLineEdit()
        self.replace_edit.setPlaceholderText("Replace with")
        self.case_box = QCheckBox("Match case")
        self.status = QLabel()
        previous = QPushButton("Previous")
        following = QPushButton("Next")
        self.replace_button = QPushButton("Replace")
        self.replace_all_button = QPushButton("Replace all")
        close = QPushButton("Close")

        top = QHBoxLayout()
        top.addWidget(self.find_edit, 1)
        top.addWidget(previous)
        top.addWidget(following)
        top.addWidget(self.case_box)
        top.addWidget(self.status)
        top.addWidget(close)
        self.replace_row = QWidget()
        bottom = QHBoxLayout(self.replace_row)
        bottom.setContentsMargins(0, 0, 0, 0)
        bottom.addWidget(self.replace_edit, 1)
        bottom.addWidget(self.replace_button)
        bottom.addWidget(self.replace_all_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addLayout(top)
        layout.addWidget(self.replace_row)

        self.find_edit.returnPressed.connect(self.find_next)
        self.find_edit.textEdited.connect(lambda _t: self.find_next(from_selection_start=True))
        following.clicked.connect(self.find_next)
        previous.clicked.connect(self.find_previous)
        self.replace_button.clicked.connect(self.replace_one)
        self.replace_all_button.clicked.connect(self.replace_all)
        close.clicked.connect(self.close_bar)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close_bar)
        self.hide()

    def open_find(self, *, with_replace: bool = False) -> None:
        """Show the bar (with the replace row when asked), seeded with the selection."""
        selected = self.editor.textCursor().selectedText()
        if selected and "\u2029" not in selected:
            self.find_edit.setText(selected)
        self.replace_row.setVisible(with_replace)
        self.show()
        self.find_edit.setFocus()
        self.find_edit.selectAll()

    def close_bar(self) -> None:
        """Hide the bar and give the editor the focus back."""
        self.hide()
        self.editor.setFocus()

    def _flags(self, backward: bool = False) -> QTextDocument.FindFlag:
        """Return the search flags for the current options."""
        flags = QTextDocument.FindFlag(0)
        if self.case_box.isChecked():
            flags |= QTextDocument.FindFlag.FindCaseSensitively
        if backward:
            flags |= QTextDocument.FindFlag.FindBackward
        return flags

    def _search(self, backward: bool, from_selection_start: bool = False) -> bool:
        """Select the next match (wrapping around); return whether there was one."""
        needle = self.find_edit.text()
        if not needle:
            self.status.clear()
            return False
        document = self.editor.document()
        cursor = self.editor.textCursor()
        if from_selection_start:
            cursor.setPosition(cursor.selectionStart())
        found = document.find(needle, cursor, self._flags(backward))
        if found.isNull():
            start = QTextCursor(document)
            if backward:
                start.movePosition(QTextCursor.MoveOperation.End)
            found = document.find(needle, start, self._flags(backward))
        if found.isNull():
            self.status.setText("Not found")
            return False
        self.status.clear()
        self.editor.setTextCursor(found)
        return True

    def find_next(self, from_selection_start: bool = False) -> bool:
        """Select the next match."""
        return self._search(False, from_selection_start)

    def find_previous(self) -> bool:
        """Select the previous match."""
        return self._search(True)

    def _selection_matches(self) -> bool:
        """Tell whether the editor's selection is a match of the search text."""
        selected = self.editor.textCursor().selectedText()
        needle = self.find_edit.text()
        if self.case_box.isChecked():
            return selected == needle
        return selected.casefold() == needle.casefold()

    def replace_one(self) -> None:
        """Replace the selected match and select the next one."""
        if not self.find_edit.text():
            return
        if self._selection_matches():
            self.editor.textCursor().insertText(self.replace_edit.text())
        self.find_next()

    def replace_all(self) -> int:
        """Replace every match as one undo step and return how many were replaced."""
        needle = self.find_edit.text()
        if not needle:
            return 0
        document = self.editor.document()
        edit = QTextCursor(document)
        edit.beginEditBlock()
        count = 0
        found = document.find(needle, 0, self._flags())
        while not found.isNull():
            found.insertText(self.replace_edit.text())
            count += 1
            found = document.find(needle, found, self._flags())
        edit.endEditBlock()
        self.status.setText(f"Replaced {count}")
        return count
