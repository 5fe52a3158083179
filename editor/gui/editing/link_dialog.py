"""The small link dialog of Ctrl+K: the link's words and its address, made into one Markdown link.

Ctrl+K opens it when the clipboard holds no web address (with one, the link is made at once,
see formatting_commands.insert_link_in).
"""

from __future__ import annotations

import re

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from editor.core.markdown_escape import link
from editor.gui.editing.exact_text_tracker import document_view

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_BARE_HOST = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)+(?:[/?#]\S*)?$")


def link_target(address: str) -> str:
    """Return the address as a link target: `example.org/x` gets https://, others stay."""
    address = address.strip()
    if address and not _SCHEME.match(address) and _BARE_HOST.match(address):
        return "https://" + address
    return address


def link_markdown(text: str, address: str) -> str:
    """Return the Markdown link for the dialog's fields (the address is the words if none)."""
    target = link_target(address)
    return link(text.strip() or target, target)


class LinkDialog(QDialog):
    """Asks for a link's words and address."""

    def __init__(self, text: str, address: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Insert link")
        self.setMinimumWidth(460)
        self.text_edit = QLineEdit(text)
        self.text_edit.setPlaceholderText("The words readers click (default: the address)")
        self.url_edit = QLineEdit(address)
        self.url_edit.setPlaceholderText("https://…")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b3261e;")
        self.message.hide()
        form = QFormLayout(self)
        form.addRow("&Text", self.text_edit)
        form.addRow("&Address", self.url_edit)
        form.addRow(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Insert link")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        (self.url_edit if text.strip() else self.text_edit).setFocus()

    def accept(self) -> None:
        """Refuse a link without an address, saying so under the form."""
        if not self.url_edit.text().strip():
            self.message.setText("Type or paste the address the link goes to.")
            self.message.show()
            self.url_edit.setFocus()
            return
        super().accept()

    def markdown(self) -> str:
        """Return the link the writer asked for, as Markdown."""
        return link_markdown(self.text_edit.text(), self.url_edit.text())


def ask_for_link(editor: QPlainTextEdit, address: str = "") -> None:
    """Ask for a link's words (the selection) and address; put the link in place of the
    selection as one undo step, the cursor after it."""
    cursor = editor.textCursor()
    start, end = cursor.selectionStart(), cursor.selectionEnd()
    block = editor.document().findBlock(start)
    end = min(end, block.position() + block.length() - 1)  # a link stays within a paragraph
    selected = document_view(editor.document(), start, end)
    dialog = LinkDialog(" ".join(selected.split()), address, parent=editor.window())
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    cursor.setPosition(start)
    cursor.setPosition(end, cursor.MoveMode.KeepAnchor)
    cursor.insertText(dialog.markdown())
    editor.setTextCursor(cursor)
    editor.setFocus()
