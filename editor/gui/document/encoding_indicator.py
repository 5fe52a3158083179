"""The status bar's encoding button: the open file's encoding and line endings, Convert to UTF-8."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from editor.core.post import Post
from editor.core.text_encoding import UTF8, short_label
from editor.gui.document.document_controller import DocumentController

NEWLINE_NAMES = {"\n": "LF", "\r\n": "CRLF"}


class EncodingIndicator(QObject):
    """The status bar's encoding button: shows the file's encoding, offers Convert to UTF-8."""

    message = Signal(str)

    def __init__(self, document: DocumentController, parent: QWidget) -> None:
        super().__init__(parent)
        self.document = document
        self.button = QToolButton(parent)
        self.button.setAutoRaise(True)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.button)
        self.convert_action = menu.addAction("Convert to UTF-8", document.convert_to_utf8)
        self.button.setMenu(menu)
        self._followers: list[QAction] = [self.convert_action]
        document.opened.connect(self._opened)
        document.saved.connect(self._saved)
        self._mixed = False
        document.file_format_changed.connect(self._converted)
        self.show_post(document.post)

    def show_post(self, post: Post) -> None:
        """Show the encoding and line endings the post's file is written in."""
        plain_utf8 = post.encoding == UTF8 and not post.bom
        name = short_label(post.encoding) + (" BOM" if post.bom and post.encoding == UTF8 else "")
        self.button.setText(f"{name} · {NEWLINE_NAMES.get(post.newline, 'LF')}")
        self.button.setToolTip(
            f"This file is saved as {post.encoding_name()}."
            + ("" if plain_utf8 else " Click to convert it to UTF-8.")
        )
        for action in self._followers:
            action.setEnabled(not plain_utf8)

    def follow(self, action: QAction) -> None:
        """Enable `action` (a Convert to UTF-8 menu item) only when there is something to do."""
        self._followers.append(action)
        self.show_post(self.document.post)

    def _saved(self, post: Post) -> None:
        """Show the saved file's format; say when its mixed line endings were made uniform."""
        self.show_post(post)
        if self._mixed and not post.mixed_newlines:
            ending = NEWLINE_NAMES.get(post.newline, "LF")
            name = post.path.name if post.path else "the post"
            self.message.emit(f"Saved; every line of “{name}” now ends in {ending}.")
        self._mixed = post.mixed_newlines

    def _converted(self, post: Post) -> None:
        """Show that the next save writes UTF-8."""
        self.show_post(post)
        self.message.emit("Converted to UTF-8: the next save writes the file as UTF-8.")

    def _opened(self, post: Post) -> None:
        """Show the new post's encoding; say so when it is not plain UTF-8 or mixes endings."""
        self.show_post(post)
        self._mixed = post.mixed_newlines
        notes = []
        if post.encoding != UTF8:
            notes.append(f"in {post.encoding_name()}; it will be saved in the same encoding")
        if post.mixed_newlines:
            ending = NEWLINE_NAMES.get(post.newline, "LF")
            notes.append(
                "mixing Windows (CRLF) and Unix (LF) line endings; saved with edits, "
                f"every line will end in {ending}"
            )
        if notes and post.path is not None:
            self.message.emit(f"“{post.path.name}” is " + ", and ".join(notes) + ".")
