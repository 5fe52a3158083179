"""The open post's life: open, new, save, save as, and asking before unsaved work is dropped."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from editor.core.front_matter import FrontMatterError, split_front_matter, with_front_matter_field
from editor.core.library import create_post
from editor.core.post import Post, PostFileError, SaveConflict, load_post, save_post
from editor.gui.editor_pane import MarkdownEditor
from editor.gui.workers import run_in_background

log = logging.getLogger(__name__)

MARKDOWN_FILTER = "Markdown posts (*.md *.markdown *.mdown *.txt);;All files (*)"


class DocumentController(QObject):
    """Owns the open Post; the editor's text is the post's text, the post knows its file."""

    opened = Signal(object)  # the Post just opened
    saved = Signal(object)  # the Post just saved
    failed = Signal(str)  # a message for the writer
    busy_changed = Signal(bool)

    def __init__(self, editor: MarkdownEditor, window: QWidget, library_root: Path) -> None:
        super().__init__(window)
        self.editor = editor
        self.window = window
        self.library_root = library_root
        self.post = Post("")
        self._saving = False

    # -- state -----------------------------------------------------------------------------

    @property
    def is_modified(self) -> bool:
        """Tell whether the editor holds changes not yet saved."""
        return self.editor.document().isModified()

    def display_name(self) -> str:
        """Return the name the window title shows for the open post."""
        return self.post.path.name if self.post.path else "Untitled"

    def base_folder(self) -> Path:
        """Return the folder the post's relative image paths resolve against."""
        return self.post.path.parent if self.post.path else self.library_root

    # -- asking before dropping work -------------------------------------------------------

    def confirm_unsaved(self, then: Callable[[], None]) -> None:
        """Run `then` once unsaved changes are saved or knowingly discarded; never if cancelled."""
        if not self.is_modified:
            then()
            return
        answer = QMessageBox.question(
            self.window,
            "Unsaved changes",
            f"“{self.display_name()}” has changes that are not saved.\nSave them first?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            self.save(then=then)
        elif answer == QMessageBox.StandardButton.Discard:
            then()

    # -- opening ---------------------------------------------------------------------------

    def open_path(self, path: Path) -> None:
        """Read a post in the background and show it (after asking about unsaved changes)."""
        self.confirm_unsaved(lambda: self._load(path))

    def choose_and_open(self) -> None:
        """Ask for a file, then open it."""

        def pick() -> None:
            name, _ = QFileDialog.getOpenFileName(
                self.window, "Open post", str(self.base_folder()), MARKDOWN_FILTER
            )
            if name:
                self._load(Path(name))

        self.confirm_unsaved(pick)

    def _load(self, path: Path) -> None:
        """Start reading `path`."""
        self.busy_changed.emit(True)
        run_in_background(load_post, path, on_success=self._loaded, on_failure=self._load_failed)

    def _loaded(self, post: Post) -> None:
        """Show a freshly read post; if the writer typed while it was read, ask first."""
        self.busy_changed.emit(False)
        self.confirm_unsaved(lambda: self._show_loaded(post))

    def _show_loaded(self, post: Post) -> None:
        """Put a read post into the editor."""
        self.post = post
        self.editor.load_text(post.text, on_done=lambda: self._shown_loaded(post))

    def _shown_loaded(self, post: Post) -> None:
        """The read post is in the editor: announce it."""
        self.opened.emit(post)
        problem = post.front_matter_problem()
        if problem:
            self.failed.emit(f"{problem} The text is open so you can fix it.")

    def _load_failed(self, error: Exception) -> None:
        """Say why a file could not be opened."""
        self.busy_changed.emit(False)
        message = (
            str(error) if isinstance(error, PostFileError) else f"Could not open the file: {error}"
        )
        QMessageBox.warning(self.window, "Cannot open this file", message)
        self.failed.emit(message)

    def new_post(self) -> None:
        """Ask for a title and create a dated post in the library."""

        def ask() -> None:
            title, ok = QInputDialog.getText(self.window, "New post", "Title of the new post:")
            if ok:
                title = title.strip() or "Untitled"
                run_in_background(
                    create_post,
                    self.library_root,
                    title,
                    dt.date.today(),
                    on_success=self._load,
                    on_failure=self._load_failed,
                )

        self.confirm_unsaved(ask)

    # -- saving ----------------------------------------------------------------------------

    def save(self, then: Callable[[], None] | None = None, *, force: bool = False) -> None:
        """Save to the post's file (asking for one if it has none); `then` runs on success."""
        if self.post.path is None:
            self.save_as(then=then)
            return
        self._start_save(self.post.path, then, force)

    def save_as(self, then: Callable[[], None] | None = None) -> None:
        """Ask where to save, then save there."""
        suggestion = self.post.path or self.library_root / "untitled.md"
        name, _ = QFileDialog.getSaveFileName(
            self.window, "Save post as", str(suggestion), MARKDOWN_FILTER
        )
        if not name:
            return
        path = Path(name) if Path(name).suffix else Path(name).with_suffix(".md")
        self._start_save(path, then, force=True)

    def _start_save(self, path: Path, then: Callable[[], None] | None, force: bool) -> None:
        """Write the editor's text in the background."""
        if self._saving:
            return
        self._saving = True
        text = self.editor.toPlainText()
        post = self.post.with_text(text)
        self.busy_changed.emit(True)
        run_in_background(
            lambda: save_post(post, path, force=force),
            on_success=lambda saved: self._saved(saved, text, then),
            on_failure=lambda error: self._save_failed(error, path, then),
        )

    def _saved(self, post: Post, text: str, then: Callable[[], None] | None) -> None:
        """Record a finished save; the document stays modified if typing went on meanwhile."""
        self._saving = False
        self.busy_changed.emit(False)
        self.post = post
        if self.editor.toPlainText() == text:
            self.editor.document().setModified(False)
        self.saved.emit(post)
        if then is not None:
            then()

    def _save_failed(self, error: Exception, path: Path, then: Callable[[], None] | None) -> None:
        """Explain a failed save; on a conflict, let the writer choose what happens."""
        self._saving = False
        self.busy_changed.emit(False)
        if isinstance(error, SaveConflict):
            box = QMessageBox(
                QMessageBox.Icon.Warning, "File changed on disk", str(error), parent=self.window
            )
            overwrite = box.addButton("Overwrite", QMessageBox.ButtonRole.DestructiveRole)
            save_as = box.addButton("Save As…", QMessageBox.ButtonRole.AcceptRole)
            box.addButton(QMessageBox.StandardButton.Cancel)
            box.exec()
            if box.clickedButton() is overwrite:
                self._start_save(path, then, force=True)
            elif box.clickedButton() is save_as:
                self.save_as(then=then)
            return
        message = str(error) if isinstance(error, PostFileError) else f"Could not save: {error}"
        QMessageBox.warning(
            self.window, "Not saved", f"{message}\n\nYour text is still here; nothing was lost."
        )
        self.failed.emit(message)

    # -- front matter fields ---------------------------------------------------------------

    def set_field(self, key: str, value: object) -> None:
        """Write one front matter field into the document's text as one undo step."""
        text = self.editor.toPlainText()
        try:
            new_text = with_front_matter_field(text, key, value)
        except FrontMatterError as error:
            self.failed.emit(str(error))
            return
        if new_text == text:
            return
        old_end = split_front_matter(text).body_start
        new_end = split_front_matter(new_text).body_start
        if text[old_end:] != new_text[new_end:]:  # never expected; fall back to a whole replace
            self.editor.replace_all_text(new_text)
            return
        self.editor.replace_range(0, old_end, new_text[:new_end])
