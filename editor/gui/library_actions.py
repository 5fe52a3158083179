"""The library's context menu at work: Rename…, Duplicate, Move to Trash, Show in Folder.

A post that is open in the editor is handled through the document, so nothing the writer typed
is lost: renaming it is an undoable edit of its title; duplicating or trashing it saves unsaved
changes first (the Trash then holds the latest words), and the editor lets go of a trashed post
and opens the one listed after it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QFile, QObject, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QInputDialog, QWidget

from editor.core.library_actions import assets_folder, duplicate_post, retitle_post
from editor.core.listing_cache import PostSummary
from editor.core.post import Post
from editor.gui.document import DocumentController
from editor.gui.message_box import ask, tell
from editor.gui.sidebar import LibraryPane
from editor.gui.workers import run_in_background

log = logging.getLogger(__name__)

MOVE_TO_TRASH = "Move to Trash"


class NoTrash(OSError):
    """The system has no Trash for the post's folder."""


def move_post_to_trash(path: Path) -> Path:
    """Move a post and its `.assets` folder to the system's Trash; return the post's path."""
    if not QFile.moveToTrash(str(path)):
        raise NoTrash(
            f"“{path.name}” could not be moved to the Trash: the system offers no Trash for "
            "this folder. Nothing was deleted."
        )
    assets = assets_folder(path)
    if assets.is_dir() and not QFile.moveToTrash(str(assets)):
        raise NoTrash(
            f"“{path.name}” is in the Trash, but its images folder “{assets.name}” could not "
            "be moved there; it is still in the library folder."
        )
    log.info("moved %s to the Trash", path.name)
    return path


class LibraryActions(QObject):
    """Carries out what the writer picks in the library's context menu."""

    def __init__(
        self,
        library: LibraryPane,
        document: DocumentController,
        window: QWidget,
        say: Callable[[str, int], None],
    ) -> None:
        super().__init__(window)
        self.library = library
        self.document = document
        self.window = window
        self.say = say
        library.rename_requested.connect(self.rename)
        library.duplicate_requested.connect(self.duplicate)
        library.trash_requested.connect(self.trash)
        library.show_in_folder_requested.connect(self.show_in_folder)

    def _is_open(self, path: Path) -> bool:
        """Tell whether `path` is the post open in the editor."""
        open_path = self.document.post.path
        return open_path is not None and open_path.resolve() == path.resolve()

    def _summary_of(self, path: Path) -> PostSummary | None:
        """Return what the list shows about `path`."""
        return next((s for s in self.library.model.summaries if s.path == path), None)

    def _title_of(self, path: Path) -> str:
        """Return the title the list shows for `path`."""
        match = self._summary_of(path)
        return match.title if match is not None else path.stem

    def _after_saving(self, path: Path, then: Callable[[], None]) -> None:
        """Run `then` once the open post `path` has its unsaved changes on disk."""
        if self._is_open(path) and self.document.is_modified:
            self.document.save(then=then)
        else:
            then()

    def _failed(self, what: str) -> Callable[[Exception], None]:
        """Return a handler that tells the writer why `what` did not happen."""

        def show(error: Exception) -> None:
            tell(self.window, what, str(error))
            self.library.refresh()

        return show

    def rename(self, path: Path) -> None:
        """Ask for a new title; the open post gets it as an undoable edit, a closed one on disk."""
        old = self._title_of(path)
        title, ok = QInputDialog.getText(self.window, "Rename post", "Title:", text=old)
        title = title.strip()
        if not ok or not title or title == old:
            return
        if self._is_open(path):
            self.document.set_field("title", title)
            self.say(f"Renamed to “{title}” (Edit > Undo takes it back)", 6000)
            return
        run_in_background(
            retitle_post,
            path,
            title,
            on_success=lambda _path: self._done(f"Renamed to “{title}”"),
            on_failure=self._failed("Could not rename the post"),
        )

    def duplicate(self, path: Path) -> None:
        """Copy the post (with its images) as a new draft beside it."""

        def copy() -> None:
            run_in_background(
                duplicate_post,
                path,
                on_success=lambda new: self._done(f"Duplicated as {new.name}"),
                on_failure=self._failed("Could not duplicate the post"),
            )

        self._after_saving(path, copy)

    def trash(self, path: Path) -> None:
        """Ask, then move the post and its images folder to the Trash."""
        assets = assets_folder(path)
        details = "You can put it back from the Trash."
        if assets.is_dir():
            details = f"Its images folder “{assets.name}” goes with it. " + details
        summary = self._summary_of(path)
        if summary is not None and summary.blog:
            details += f" The post stays on {summary.blog}."
        title = self._title_of(path)
        answer = ask(
            self.window,
            MOVE_TO_TRASH,
            f"Move “{title}” to the Trash?",
            [MOVE_TO_TRASH],
            details=details,
        )
        if answer != MOVE_TO_TRASH:
            return

        def move() -> None:
            following = None
            if self._is_open(path):  # the editor lets go first: nothing may save it back
                following = self.library.neighbour_of(path)
                self.document.show_post_with_text(Post(""), "")

            def moved(_moved: Path) -> None:
                self._done(f"Moved “{title}” to the Trash")
                if following is not None and self.document.post.path is None:
                    self.document.open_path(following)  # the writer goes on with the next post

            run_in_background(
                move_post_to_trash,
                path,
                on_success=moved,
                on_failure=self._failed("Could not move the post to the Trash"),
            )

        self._after_saving(path, move)

    def show_in_folder(self, path: Path) -> None:
        """Open the library folder in the system's file manager."""
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent))):
            self.say(f"Could not open the folder {path.parent}", 8000)

    def _done(self, message: str) -> None:
        """Say what was done and list the library again."""
        self.say(message, 6000)
        self.library.refresh()
