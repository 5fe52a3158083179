"""Encodings in the window: the question before opening a file that is not UTF-8."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from editor.core.post import NotUtf8
from editor.core.text_encoding import LEGACY_ENCODINGS, encoding_label


class EncodingDialog(QDialog):
    """Asks which encoding a file that is not UTF-8 is in, showing its start in that encoding."""

    def __init__(self, parent: QWidget | None, file_name: str, refusal: NotUtf8) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open a file that is not UTF-8")
        self._sample = refusal.sample
        label = QLabel(
            f"“{file_name}” is not UTF-8. It looks like {encoding_label(refusal.guess)}.\n"
            "Open it as the encoding below? Check that the text reads right; Draftpress will "
            "save it back in the same encoding unless you convert it to UTF-8 "
            "(File > Convert to UTF-8)."
        )
        label.setWordWrap(True)
        self.chooser = QComboBox()
        for codec, name in LEGACY_ENCODINGS.items():
            self.chooser.addItem(name, codec)
        self.chooser.setCurrentIndex(max(0, self.chooser.findData(refusal.guess)))
        self.sample_view = QPlainTextEdit()
        self.sample_view.setReadOnly(True)
        self.sample_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.chooser.currentIndexChanged.connect(self._show_sample)
        self._show_sample()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.chooser)
        layout.addWidget(self.sample_view, 1)
        layout.addWidget(buttons)
        self.resize(620, 420)

    def chosen_encoding(self) -> str:
        """Return the codec selected in the chooser."""
        return str(self.chooser.currentData())

    def _show_sample(self) -> None:
        """Show the start of the file as the chosen encoding reads it."""
        text = self._sample.decode(self.chosen_encoding(), errors="replace")
        self.sample_view.setPlainText(text.replace("\r\n", "\n"))


def ask_encoding(parent: QWidget | None, file_name: str, refusal: NotUtf8) -> str | None:
    """Ask which encoding to open a non-UTF-8 file in; None when the writer cancels."""
    dialog = EncodingDialog(parent, file_name, refusal)
    try:
        return dialog.chosen_encoding() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()
