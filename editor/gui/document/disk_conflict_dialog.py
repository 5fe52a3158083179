"""The question asked when another program changed the open file while the writer has edits."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFontDatabase, QSyntaxHighlighter, QTextCharFormat, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from editor.core.text_diff import unified_diff_lines

KEEP_MINE = "Keep my version"
LOAD_DISK = "Load the disk version"
SAVE_COPY = "Save mine as a copy…"
MAX_DIFF_LINES = 4000


def describe_differences(disk_text: str, my_text: str, file_name: str) -> str:
    """Return a unified diff from the file on disk to the editor's text, in plain labels.

    Slow for long texts: run it off the GUI thread.
    """
    lines = unified_diff_lines(
        disk_text,
        my_text,
        f"{file_name} on disk (changed by another program)",
        "your version in Draftpress",
    )
    if len(lines) > MAX_DIFF_LINES:
        hidden = len(lines) - MAX_DIFF_LINES
        lines = [*lines[:MAX_DIFF_LINES], f"\n… and {hidden} more lines of differences"]
    text = "".join(line + "\n" for line in lines)
    return text.replace("\n-", "\n−")  # a true minus sign reads better beside the plus


class DiffHighlighter(QSyntaxHighlighter):
    """Colours the disk's lines red and the writer's lines green, like any diff viewer."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._formats: dict[str, QTextCharFormat] = {}
        for marker, colour in (("−", "#fde2e1"), ("+", "#dcf5dc"), ("@", "#e8eef8")):
            char_format = QTextCharFormat()
            char_format.setBackground(QColor(colour))
            self._formats[marker] = char_format

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt API)
        """Colour one line of the diff by its first character (file headers stay plain)."""
        if text.startswith(("+++", "---")):
            return
        char_format = self._formats.get(text[:1])
        if char_format is not None:
            self.setFormat(0, len(text), char_format)


class DiskConflictDialog(QDialog):
    """Shows what differs between the file on disk and the editor, and asks what to keep."""

    def __init__(self, parent: QWidget | None, file_name: str, differences: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("File changed on disk")
        self.choice: str | None = None
        self.message = QLabel(
            f"“{file_name}” was changed by another program, and you have changes here that "
            "are not saved. Lines starting with − are on disk, lines starting with + are "
            "yours. Which version do you want?"
        )
        self.message.setWordWrap(True)
        self.diff_view = QPlainTextEdit()
        self.diff_view.setReadOnly(True)
        self.diff_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.diff_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.diff_view.setPlainText(differences)
        self._highlighter = DiffHighlighter(self.diff_view.document())
        self.buttons = QDialogButtonBox()
        for label, role, tip in (
            (
                KEEP_MINE,
                QDialogButtonBox.ButtonRole.AcceptRole,
                "Keep editing your version; saving will replace the file on disk.",
            ),
            (
                LOAD_DISK,
                QDialogButtonBox.ButtonRole.ActionRole,
                "Show the file on disk; Undo brings your version back.",
            ),
            (
                SAVE_COPY,
                QDialogButtonBox.ButtonRole.ActionRole,
                "Save your version under another name; the file on disk stays as it is.",
            ),
        ):
            button = QPushButton(label)
            button.setToolTip(tip)
            button.clicked.connect(lambda _checked=False, label=label: self._choose(label))
            self.buttons.addButton(button, role)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.diff_view, 1)
        layout.addWidget(self.buttons)
        self.resize(760, 520)

    def button(self, label: str) -> QPushButton:
        """Return the button with `label` (one of the three choices)."""
        return next(b for b in self.buttons.buttons() if b.text() == label)  # type: ignore[return-value]

    def _choose(self, label: str) -> None:
        """Remember the writer's choice and close."""
        self.choice = label
        self.accept()
