"""What the window does when another program changes, replaces or removes the open file."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from editor.core.disk_state import DiskState
from editor.core.exact_text import changed_span, editor_position
from editor.core.post import Post
from editor.gui.document.file_watcher import FileWatcher
from editor.gui.message_box import tell
from editor.gui.workers import run_in_background

if TYPE_CHECKING:
    from editor.gui.document.document_controller import DocumentController

log = logging.getLogger(__name__)

RELOADED = "Reloaded: changed on disk"


class DiskChanges(QObject):
    """Reloads an unedited post silently, asks when there are edits, says when the file is gone."""

    message = Signal(str)  # a line for the status bar

    def __init__(self, document: DocumentController) -> None:
        super().__init__(document)
        self.document = document
        self.watcher = FileWatcher(self)
        self.watcher.state_read.connect(self._state_read)
        document.opened.connect(self._follow)
        document.saved.connect(self._saved)
        self._asked_about: str | None = None  # sha256 of the disk version last asked about
        self._missing_told = False
        self._asking = False
        self._vanished_at: int | None = None  # the text's revision when an unedited file went

    def _follow(self, post: Post) -> None:
        """Watch the file of the post just opened."""
        self._asked_about = None
        self._missing_told = False
        self._vanished_at = None
        if post.path is None:
            self.watcher.stop()
        else:
            self.watcher.watch(post)

    def _saved(self, post: Post) -> None:
        """Watch the file just written (a rename drops the watch) and look for changes missed."""
        self._missing_told = False
        self._follow(post)
        self.watcher.check_now()

    def _state_read(self, state: DiskState) -> None:
        """React to what the file on disk holds now."""
        document = self.document
        if document.is_saving or self._asking or state.path != document.post.path:
            return
        if state.kind in ("same", "changed") and self._vanished_at is not None:
            if self._vanished_at == document.editor.document().revision():
                document.editor.document().setModified(False)  # back, and nothing typed here
            self._vanished_at = None
        if state.kind == "same":
            self._missing_told = False
            return
        if state.kind == "missing":
            self._file_missing()
        elif state.kind == "unreadable":
            self.message.emit(
                f"“{state.path.name}” changed on disk but cannot be read ({state.problem}). "
                "Your text is still here."
            )
        elif state.post is not None:
            self._missing_told = False
            self._changed(state.post)

    def _changed(self, disk: Post) -> None:
        """Reload silently when nothing is unsaved; otherwise ask, once per disk version."""
        document = self.document
        own, seen = document.post.fingerprint, disk.fingerprint
        if own is not None and seen is not None and seen.sha256 == own.sha256:
            return  # our own save, seen late
        if not document.is_modified:
            self._replace_text(disk.text)
            document.post = disk
            document.editor.document().setModified(False)
            self.message.emit(RELOADED)
            return
        sha = disk.fingerprint.sha256 if disk.fingerprint else ""
        if sha == self._asked_about:
            return
        self._asked_about = sha
        self._ask(disk)

    def _ask(self, disk: Post) -> None:
        """Work out the differences in the background, then ask."""
        # the question and its diff load when first needed, not with the window
        from editor.gui.document.disk_conflict_dialog import describe_differences

        document = self.document
        name = disk.path.name if disk.path else "this post"
        mine = document.editor.exact_text()
        self._asking = True
        run_in_background(
            describe_differences,
            disk.text,
            mine,
            name,
            on_success=lambda differences: self._show_question(disk, name, differences),
            on_failure=lambda error: self._show_question(disk, name, f"({error})"),
        )

    def _show_question(self, disk: Post, name: str, differences: str) -> None:
        """Show both versions and do what the writer chooses."""
        from editor.gui.document.disk_conflict_dialog import (
            KEEP_MINE,
            LOAD_DISK,
            SAVE_COPY,
            DiskConflictDialog,
        )

        document = self.document
        if disk.path != document.post.path:  # another post was opened meanwhile
            self._asking = False
            return
        dialog = DiskConflictDialog(document.window, name, differences)
        try:
            dialog.exec()
        finally:
            self._asking = False
        choice = dialog.choice
        dialog.deleteLater()
        if choice == KEEP_MINE:
            document.post = disk  # the disk version is now known: the next save replaces it
            self.message.emit("Kept your version; saving will replace the file on disk.")
        elif choice == LOAD_DISK:
            self._replace_text(disk.text)
            document.post = disk
            document.editor.document().setModified(False)
            self.message.emit("Loaded the version on disk. Undo (Ctrl+Z) brings yours back.")
        elif choice == SAVE_COPY:
            document.save_as()
        else:
            self.message.emit("The file changed on disk: saving will ask before replacing it.")
        self.watcher.check_now()  # it may have changed again while the question was open

    def _file_missing(self) -> None:
        """Tell the writer once that the file is gone; keep the text and mark it unsaved."""
        if self._missing_told:
            return
        self._missing_told = True
        document = self.document
        name = document.display_name()
        text_document = document.editor.document()
        self._vanished_at = None if text_document.isModified() else text_document.revision()
        text_document.setModified(True)
        text = (
            f"“{name}” was deleted or moved away by another program.\n\n"
            "Your text is still here. Save (Ctrl+S) writes it back to the same place; "
            "Save As… puts it somewhere else."
        )
        self.message.emit(f"“{name}” was deleted or moved away; your text is still here.")
        tell(document.window, "File deleted on disk", text)

    def _replace_text(self, text: str) -> None:
        """Put `text` in the editor as one undoable edit of the part that differs.

        Only the changed span is replaced, so the cursor and the scroll position stay where
        they were whenever the change is elsewhere in the file.
        """
        editor = self.document.editor
        old = editor.exact_text()
        if old == text:
            return
        start, old_end, new_end = changed_span(old, text)
        # Editor positions, not string indexes: a CR LF is one position, an emoji two.
        editor.replace_range(
            editor_position(old, start), editor_position(old, old_end), text[start:new_end]
        )
