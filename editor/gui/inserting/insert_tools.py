"""The quote and image tools: dialogs in, dialect Markdown out, one undo step per insert or edit."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QObject, Signal
from PySide6.QtGui import QGuiApplication, QImage, QTextCursor
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from editor.core.exact_text import editor_length, editor_position, text_index
from editor.core.figure_snippet import FigureFields, build_figure_markdown, find_figure_at
from editor.core.image_assets import (
    ImageOptions,
    ImageRejected,
    StoredImage,
    store_image,
    store_image_file,
)
from editor.core.quote_snippet import QuoteFields, build_quote_markdown, find_quote_at
from editor.core.settings import Settings
from editor.core.snippet_placement import block_insertion
from editor.core.web_links import is_web_address
from editor.gui.document import DocumentController
from editor.gui.editing import MarkdownEditor
from editor.gui.inserting.image_dialog import ImageDialog
from editor.gui.message_box import Icon, tell
from editor.gui.workers import run_in_background

log = logging.getLogger(__name__)

IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.gif *.webp);;All files (*)"
PASTED_NAME = "pasted-image.png"


def _png_bytes(image: QImage) -> bytes:
    """Encode a QImage as PNG (QImage may be used off the GUI thread)."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise ImageRejected("The pasted image could not be converted to PNG.")
    return bytes(buffer.data())


def _store_pasted(image: QImage, post_path: Path, options: ImageOptions) -> StoredImage:
    """Store pasted image data beside the post as a PNG."""
    return store_image(_png_bytes(image), PASTED_NAME, post_path, options)


class InsertTools(QObject):
    """Runs the quote and image dialogs and puts their Markdown into the editor."""

    message = Signal(str)  # one line for the status bar

    def __init__(
        self,
        editor: MarkdownEditor,
        document: DocumentController,
        settings: Settings,
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self.editor = editor
        self.document = document
        self.settings = settings
        self.window = window
        self._queue: list[Callable[[], None]] = []
        self._busy = False
        editor.files_dropped.connect(self.insert_files)
        editor.image_pasted.connect(self.insert_pasted_image)

    # -- shared ----------------------------------------------------------------------------

    def _refuse(self, text: str) -> None:
        """Say why nothing was inserted."""
        tell(self.window, "Nothing inserted", text)
        self.message.emit(text)

    def _insert_block(self, position: int, snippet: str, cut: tuple[int, int] | None = None) -> int:
        """Insert a block snippet near `position` as one undo step, put the cursor after it and
        return that position.

        `cut` is a range (the selection the snippet was made from) removed in the same step.
        Positions are the editor's, not the text's indexes (a CR LF is one, an emoji two).
        """
        text = self.editor.exact_text()
        position = text_index(text, position)
        cut_start, cut_end = (
            (text_index(text, cut[0]), text_index(text, cut[1])) if cut else (position, position)
        )
        without = text[:cut_start] + text[cut_end:]
        for find in (find_quote_at, find_figure_at):  # never between a snippet and its caption
            found = find(without, position)
            if found is not None:
                position = found[0].end
        start, end, replacement = block_insertion(without, position, snippet)
        low, high = (min(start, cut_start), max(end, cut_start)) if cut else (start, end)
        before = without[low:start]
        low_position = editor_position(text, low)
        self.editor.replace_range(
            low_position,
            editor_position(text, high + cut_end - cut_start),
            before + replacement + without[end:high],
        )
        cursor = self.editor.textCursor()
        block_end = low_position + editor_length(before + replacement.rstrip("\n"))
        cursor.setPosition(block_end)
        self.editor.setTextCursor(cursor)
        self.editor.setFocus()
        return block_end

    def _options(self) -> ImageOptions:
        """Return how images are stored, from the settings."""
        settings = self.settings
        return ImageOptions(
            settings.image_max_width, settings.image_strip_gps, settings.image_keep_rights
        )

    # -- quotes ----------------------------------------------------------------------------

    def insert_quote(self) -> None:
        """Edit the quote under the cursor, or insert a new one from the selection/clipboard."""
        # imported when first used: its page fetching brings httpx, which the window's first
        # screen does not need (start-up, issue 16)
        from editor.gui.inserting.quote_dialog import QuoteDialog

        cursor = self.editor.textCursor()
        text = self.editor.exact_text()
        at = text_index(text, cursor.position())
        found = None if cursor.hasSelection() else find_quote_at(text, at)
        if found is not None:
            span, fields = found
            dialog = QuoteDialog(fields, editing=True, parent=self.window)
        else:
            seed = self._new_quote_fields(cursor)
            dialog = QuoteDialog(seed, fetch_now=bool(seed.source_url), parent=self.window)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        if not accepted:
            return
        snippet = build_quote_markdown(dialog.fields())
        if found is not None:
            start, end = editor_position(text, found[0].start), editor_position(text, found[0].end)
            self.editor.replace_range(start, end, snippet.rstrip("\n"))
            self.message.emit("Quote updated.")
        elif cursor.hasSelection():
            start = cursor.selectionStart()
            self._insert_block(start, snippet, cut=(start, cursor.selectionEnd()))
            self.message.emit("Quote inserted.")
        else:
            self._insert_block(cursor.position(), snippet)
            self.message.emit("Quote inserted.")

    @staticmethod
    def _new_quote_fields(cursor: QTextCursor) -> QuoteFields:
        """Seed a new quote: the selection, else the clipboard's text; a web address on the
        clipboard is the quote's source, never its words."""
        seed = cursor.selectedText().replace("\u2029", "\n")
        if seed.strip():
            return QuoteFields(text=seed)
        clipboard = QGuiApplication.clipboard().text()
        if is_web_address(clipboard):
            return QuoteFields(text="", source_url=clipboard.strip())
        return QuoteFields(text=clipboard)

    # -- images ----------------------------------------------------------------------------

    def insert_image(self) -> None:
        """Edit the image under the cursor, or choose an image file and insert it."""
        position = self.editor.textCursor().position()
        text = self.editor.exact_text()
        found = find_figure_at(text, text_index(text, position))
        if found is not None:
            span, fields = found
            self._edit_figure(
                editor_position(text, span.start), editor_position(text, span.end), fields
            )
            return
        if not self._post_has_file(self.insert_image):
            return
        name, _ = QFileDialog.getOpenFileName(
            self.window, "Insert image", str(self.document.base_folder()), IMAGE_FILTER
        )
        if name:
            self.insert_files([Path(name)], position)

    def _post_has_file(self, retry: Callable[[], None]) -> bool:
        """Images live beside the post: an unsaved post is saved first (then `retry`)."""
        if self.document.post.path is not None:
            return True
        tell(
            self.window,
            "Save the post first",
            "Images are kept in a folder next to the post, so the post needs a file. "
            "Choose where to save it; the image comes next.",
            icon=Icon.Information,
        )
        self.document.save_as(then=retry)
        return False

    def insert_files(self, items: list, position: int) -> None:
        """Insert dropped or chosen image files one after the other; refuse what is not one."""
        files = []
        for item in items:
            if isinstance(item, str):
                self._refuse(
                    f"“{item}” is a web address. Save the image to your computer first, "
                    "then drop or choose the file."
                )
            else:
                files.append(item)
        # Queue nothing before the post has a file: a declined save must leave no image behind.
        if not files or not self._post_has_file(lambda: self.insert_files(files, position)):
            return
        place = [position]  # shared: each image goes after the one inserted before it
        for path in files:
            self._queue.append(lambda path=path: self._store_file(path, place))
        self._run_next()

    def insert_pasted_image(self, image: QImage, position: int) -> None:
        """Store pasted image data as a PNG beside the post and insert it."""
        if not self._post_has_file(lambda: self.insert_pasted_image(image, position)):
            return

        def store() -> None:
            self._start_store(
                _store_pasted, image, self.document.post.path, self._options(), place=[position]
            )

        self._queue.append(store)
        self._run_next()

    def _run_next(self) -> None:
        """Start the next queued image unless one is being handled."""
        if self._busy or not self._queue:
            return
        self._queue.pop(0)()

    def _store_file(self, path: Path, place: list[int]) -> None:
        """Copy one image file beside the post in the background."""
        self._start_store(
            store_image_file, path, self.document.post.path, self._options(), place=place
        )

    def _start_store(self, function, *args, place: list[int]) -> None:
        """Run a store function off the GUI thread, then ask for the image's details."""
        self._busy = True
        self.message.emit("Preparing the image…")
        run_in_background(
            function,
            *args,
            on_success=lambda stored: self._stored(stored, place),
            on_failure=self._store_failed,
        )

    def _store_failed(self, error: Exception) -> None:
        """Say why the image was not inserted and go on with the next one."""
        self._busy = False
        if isinstance(error, ImageRejected):
            self._refuse(str(error))
        else:
            log.warning("storing an image failed: %r", error)
            self._refuse(f"The image could not be stored beside the post: {error}")
        self._run_next()

    def _stored(self, stored: StoredImage, place: list[int]) -> None:
        """Ask for alt text, caption and credit; insert on OK, remove the new copy on cancel."""
        dialog = ImageDialog(
            FigureFields(src=stored.relative_path), stored.path, parent=self.window
        )
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        self._busy = False
        if accepted:
            place[0] = self._insert_block(place[0], build_figure_markdown(dialog.fields()))
            self.message.emit(f"Image inserted ({stored.relative_path}).")
        elif not stored.reused:
            self._discard(stored.path)
        self._run_next()

    def _discard(self, path: Path) -> None:
        """Remove an image copied for an insert that was cancelled (and its empty folder)."""
        try:
            path.unlink()
            if not any(path.parent.iterdir()):
                path.parent.rmdir()
        except OSError as error:
            log.warning("could not remove %s: %s", path, error)

    def _edit_figure(self, start: int, end: int, fields: FigureFields) -> None:
        """Open the image dialog on the figure under the cursor and replace it on OK."""
        image_path = self.document.base_folder() / fields.src
        dialog = ImageDialog(fields, image_path, editing=True, parent=self.window)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        if accepted:
            snippet = build_figure_markdown(dialog.fields()).rstrip("\n")
            self.editor.replace_range(start, end, snippet)
            self.message.emit("Image updated.")
