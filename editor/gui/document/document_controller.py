"""The open post's life: open, new, save, save as, and asking before unsaved work is dropped."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QInputDialog, QWidget

from editor.core.exact_text import editor_position
from editor.core.front_matter import FrontMatterError, split_front_matter, with_front_matter_field
from editor.core.library import create_post
from editor.core.post import (
    CannotEncode,
    NotUtf8,
    Post,
    PostFileError,
    SaveConflict,
    load_post,
)
from editor.core.revisions import RevisionLimits, save_keeping_revision
from editor.gui.document.encoding_ui import ask_encoding
from editor.gui.editing import MarkdownEditor
from editor.gui.message_box import Icon, ask, tell
from editor.gui.workers import run_in_background

log = logging.getLogger(__name__)

MARKDOWN_FILTER = "Markdown posts (*.md *.markdown *.mdown *.txt);;All files (*)"
# The buttons of the questions about unsaved changes and a file changed on disk.
SAVE, DISCARD, SAVE_AS, OVERWRITE = "Save", "Discard", "Save As…", "Overwrite"


@dataclass(frozen=True)
class _AfterSave:
    """What runs once a save asked for is written (or is not)."""

    then: Callable[[], None] | None
    otherwise: Callable[[str], None] | None


class DocumentController(QObject):
    """Owns the open Post; the editor's text is the post's text, the post knows its file."""

    opened = Signal(object)  # the Post just opened
    saved = Signal(object)  # the Post just saved
    failed = Signal(str)  # a message for the writer
    busy_changed = Signal(bool)
    asking_about_unsaved = Signal()  # about to ask Save/Discard/Cancel (journal the text first)
    file_format_changed = Signal(object)  # the Post, after its encoding was converted

    def __init__(self, editor: MarkdownEditor, window: QWidget, library_root: Path) -> None:
        super().__init__(window)
        self.editor = editor
        self.window = window
        self.library_root = library_root
        self.post = Post("")
        self._saving = False
        self._current: list[_AfterSave] = []  # waiting for the save being written
        self._next: list[_AfterSave] = []  # asked during it: served by a save after it
        self.revision_limits = RevisionLimits()  # how many replaced versions each save keeps

    # -- state -----------------------------------------------------------------------------

    @property
    def is_modified(self) -> bool:
        """Tell whether the editor holds changes not yet saved."""
        return self.editor.document().isModified()

    @property
    def is_saving(self) -> bool:
        """Tell whether a save is being written right now."""
        return self._saving

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
        self.asking_about_unsaved.emit()
        answer = ask(
            self.window,
            "Unsaved changes",
            f"“{self.display_name()}” has changes that are not saved.\nSave them first?",
            [SAVE, DISCARD],
            icon=Icon.Warning,
        )
        if answer == SAVE:
            self.save(then=then)
        elif answer == DISCARD:
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

    def _load(self, path: Path, encoding: str | None = None) -> None:
        """Start reading `path` (in `encoding`, chosen by the writer, for a non-UTF-8 file)."""
        self.busy_changed.emit(True)
        args = (path,) if encoding is None else (path, encoding)
        run_in_background(
            load_post,
            *args,
            on_success=self._loaded,
            on_failure=lambda error: self._load_failed(error, path),
        )

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

    def show_post_with_text(self, post: Post, text: str) -> None:
        """Show `post` as read from disk, then put `text` in as one unsaved, undoable edit."""
        self._show_loaded(post)
        if text != post.text:
            self.editor.replace_all_text(text)

    def _load_failed(self, error: Exception, path: Path | None = None) -> None:
        """Say why a file could not be opened; for a non-UTF-8 file, ask for its encoding."""
        self.busy_changed.emit(False)
        if isinstance(error, NotUtf8) and path is not None:
            encoding = ask_encoding(self.window, path.name, error)
            if encoding is not None:
                self._load(path, encoding)
            else:
                self.failed.emit(f"“{path.name}” was not opened.")
            return
        message = (
            str(error) if isinstance(error, PostFileError) else f"Could not open the file: {error}"
        )
        tell(self.window, "Cannot open this file", message)
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

    def save(
        self,
        then: Callable[[], None] | None = None,
        *,
        force: bool = False,
        otherwise: Callable[[str], None] | None = None,
    ) -> None:
        """Save to the post's file (asking for one if it has none); `then` runs once saved.

        Asked while a save is being written, this waits for it, saves again if the text
        changed meanwhile, then runs `then`. `otherwise(reason)` runs when it is not saved
        (refused, failed, or the writer cancelled a question).
        """
        after = _AfterSave(then, otherwise)
        if self._saving:
            self._next.append(after)
            return
        self._current = [after]
        if self.post.path is None:
            self._ask_path_and_save()
            return
        self._start_save(self.post.path, force)

    def save_as(self, then: Callable[[], None] | None = None) -> None:
        """Ask where to save, then save there."""
        if self._saving:
            self.failed.emit("A save is being written; try Save As again when it is done.")
            return
        self._current = [_AfterSave(then, None)]
        self._ask_path_and_save()

    def _ask_path_and_save(self) -> None:
        """Ask where to save, then save there (the waiting continuations go with it)."""
        suggestion = self.post.path or self.library_root / "untitled.md"
        name, _ = QFileDialog.getSaveFileName(
            self.window, "Save post as", str(suggestion), MARKDOWN_FILTER
        )
        if not name:
            self._not_saved("no file was chosen")
            return
        path = Path(name) if Path(name).suffix else Path(name).with_suffix(".md")
        self._start_save(path, force=True)

    def _start_save(self, path: Path, force: bool) -> None:
        """Write the editor's text in the background (no other save is being written)."""
        self._saving = True
        text = self.editor.exact_text()
        revision = self.editor.document().revision()
        post = self.post.with_text(text)
        limits = self.revision_limits
        self.busy_changed.emit(True)
        run_in_background(
            lambda: save_keeping_revision(post, path, force=force, limits=limits),
            on_success=lambda saved: self._saved(saved, revision),
            on_failure=lambda error: self._save_failed(error, path),
        )

    def _saved(self, post: Post, revision: int) -> None:
        """Record a finished save; the document stays modified if typing went on meanwhile."""
        self._saving = False
        self.busy_changed.emit(False)
        self.post = post
        if self.editor.document().revision() == revision:  # no edit since the save began
            self.editor.document().setModified(False)
        self.saved.emit(post)
        done, self._current = self._current, []
        for after in done:
            if after.then is not None:
                after.then()
        self._serve_next()

    def _serve_next(self) -> None:
        """Serve what was asked during the save that just ended (saving again if needed)."""
        if self._saving or not self._next:  # a continuation started a save: they wait for it
            return
        waiting, self._next = self._next, []
        if self.is_modified or self.post.path is None:
            self._current = waiting
            if self.post.path is None:
                self._ask_path_and_save()
            else:
                self._start_save(self.post.path, False)
            return
        for after in waiting:
            if after.then is not None:
                after.then()

    def _not_saved(self, reason: str) -> None:
        """Tell everyone waiting for a save that it did not happen."""
        waiting = [*self._current, *self._next]
        self._current, self._next = [], []
        for after in waiting:
            if after.otherwise is not None:
                after.otherwise(reason)

    def _save_failed(self, error: Exception, path: Path) -> None:
        """Explain a failed save; on a conflict, let the writer choose what happens."""
        self._saving = False
        self.busy_changed.emit(False)
        if isinstance(error, CannotEncode):
            self._cannot_encode(error, path)
            return
        if isinstance(error, SaveConflict):
            choice = ask(
                self.window, "File changed on disk", str(error), [SAVE_AS, OVERWRITE],
                icon=Icon.Warning,
            )
            if choice == OVERWRITE:
                self._start_save(path, force=True)
            elif choice == SAVE_AS:
                self._ask_path_and_save()
            else:
                self._not_saved(str(error))
            return
        message = str(error) if isinstance(error, PostFileError) else f"Could not save: {error}"
        tell(
            self.window,
            "Not saved",
            f"{message}\n\nYour text is still here in the window; nothing was lost. "
            "Use File > Save As… to save it somewhere else.",
        )
        self.failed.emit(message)
        self._not_saved(message)

    def _cannot_encode(self, error: CannotEncode, path: Path) -> None:
        """Offer to save as UTF-8 when the text holds a character the file's encoding lacks."""
        choice = ask(
            self.window,
            "Cannot save in this encoding",
            f"{error}\n\nSave the file as UTF-8 instead? UTF-8 holds every character; "
            "some old programs may not read it.",
            ["Save as UTF-8"],
            details="Cancel to keep editing: nothing was written, and your text is still here.",
        )
        if choice is None:
            self.failed.emit(f"Not saved: {error}")
            self._not_saved(f"Not saved: {error}")
            return
        self.convert_to_utf8()
        self._start_save(path, force=False)

    def convert_to_utf8(self) -> None:
        """Write the post as UTF-8 (without BOM) from the next save on; the text is unchanged."""
        post = self.post
        if post.encoding == "utf-8" and not post.bom:
            return
        self.post = post.converted_to_utf8()
        self.editor.document().setModified(True)
        self.file_format_changed.emit(self.post)

    # -- front matter fields ---------------------------------------------------------------

    def set_field(self, key: str, value: object) -> None:
        """Write one front matter field into the document's text as one undo step."""
        text = self.editor.exact_text()
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
        self.editor.replace_range(0, editor_position(text, old_end), new_text[:new_end])
