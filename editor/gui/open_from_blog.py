"""Blog > Open from Blog…: list an account's posts and bring the chosen one into the library."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from editor.core.post import load_post
from editor.gui.accounts_dialog import (
    ClientFactory,
    default_client_factory,
    describe_error,
    password_for,
    pick_account,
)
from editor.gui.document_controller import DocumentController
from editor.gui.message_box import tell
from editor.gui.workers import run_in_background
from editor.publish.accounts import Account
from editor.publish.pull import pull_into_library
from editor.publish.remote_record import read_remote_record

log = logging.getLogger(__name__)

LIST_SIZE = 100
SERVER_COPY = "Open the server's version as a new draft"
STATUS_WORDS = {
    "publish": "Published",
    "draft": "Draft",
    "future": "Scheduled",
    "pending": "Pending review",
    "private": "Private",
}


def list_blog_posts(factory: ClientFactory, account: Account, password: str) -> list[dict]:
    """Return the account's newest posts of every status (worker thread)."""
    with factory(account, password) as client:
        return client.search_posts("", per_page=LIST_SIZE)


def pull_post(
    factory: ClientFactory,
    account: Account,
    password: str,
    root: Path,
    server_post: dict | None = None,
    post_id: int | None = None,
) -> Path:
    """Return the library file of a blog post, writing a new one when needed (worker thread).

    With `server_post` (chosen from the list) a file that already records that post is reused;
    with `post_id` the server's current version is read and always written as a new file.
    """
    with factory(account, password) as client:
        if server_post is not None:
            return pull_into_library(client, server_post, root, account.name)
        fresh = client.get_post(int(post_id or 0))
        return pull_into_library(client, fresh, root, account.name, reuse=False)


def _title(post: dict[str, Any]) -> str:
    """Return a listed post's title as the writer typed it."""
    title = post.get("title") or {}
    text = title.get("raw") if isinstance(title, dict) else title
    return str(text or "").strip() or "(no title)"


class OpenFromBlogDialog(QDialog):
    """Lists the posts on one blog, read in the background; Open returns the chosen one."""

    def __init__(
        self,
        account: Account,
        password: str,
        client_factory: ClientFactory,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Open from {account.name}")
        self.setMinimumSize(640, 420)
        self.loaded = False
        self.posts: list[dict] = []
        self.status = QLabel(f"Reading the posts on {account.name}…")
        self.status.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Title", "Status", "Date"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.tree.itemDoubleClicked.connect(lambda _item, _column: self.accept())
        self.tree.currentItemChanged.connect(lambda *_: self._update_button())
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.buttons)
        self._update_button()
        run_in_background(
            list_blog_posts,
            client_factory,
            account,
            password,
            on_success=self._listed,
            on_failure=lambda error: self._list_failed(error, password),
        )

    def _update_button(self) -> None:
        """Allow Open only with a post chosen."""
        button = self.buttons.button(QDialogButtonBox.StandardButton.Open)
        button.setEnabled(self.tree.currentItem() is not None)

    def _listed(self, posts: list[dict]) -> None:
        """Show the posts the blog sent."""
        if not isValid(self):
            return
        self.posts = list(posts)
        for index, post in enumerate(self.posts):
            status = str(post.get("status", ""))
            date = str(post.get("date") or "")[:16].replace("T", " ")
            item = QTreeWidgetItem([_title(post), STATUS_WORDS.get(status, status), date])
            item.setData(0, Qt.ItemDataRole.UserRole, index)
            self.tree.addTopLevelItem(item)
        if self.posts:
            self.status.setText(
                "Choose the post to open. A copy already in your library opens "
                "as it is; otherwise a new file is made for it."
            )
            self.tree.setCurrentItem(self.tree.topLevelItem(0))
        else:
            self.status.setText("This blog has no posts yet.")
        self.loaded = True

    def _list_failed(self, error: Exception, password: str) -> None:
        """Say why the posts could not be read."""
        if not isValid(self):
            return
        self.status.setText(describe_error(error, password))
        self.loaded = True

    def chosen(self) -> dict | None:
        """Return the chosen post's JSON (context=edit), or None."""
        item = self.tree.currentItem()
        if item is None:
            return None
        return self.posts[int(item.data(0, Qt.ItemDataRole.UserRole))]

    def accept(self) -> None:
        """Close with a post chosen (never with none)."""
        if self.chosen() is not None:
            super().accept()


class BlogOpener(QObject):
    """Brings posts from the blog into the library and opens them, reading in the background."""

    message = Signal(str)  # a line for the status bar
    finished = Signal(str)  # "server_copy" or "failed" (for the conflict's third choice)

    def __init__(self, window: QWidget, document: DocumentController, library_root: Path) -> None:
        super().__init__(window)
        self.window = window
        self.document = document
        self.library_root = library_root
        self.client_factory: ClientFactory = default_client_factory
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)

    def open_from_blog(self) -> None:
        """Choose a post on the blog and open it (the library's copy, or a new file)."""
        picked = pick_account(self.window, "Open a post from which blog?")
        if picked is None:
            return
        account = picked[0]
        password = password_for(self.window, account)
        if password is None:
            return
        dialog = OpenFromBlogDialog(account, password, self.client_factory, self.window)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        chosen = dialog.chosen() if accepted else None
        dialog.deleteLater()
        if chosen is None:
            return
        self.message.emit("Opening the post from the blog…")
        self._pull(account, password, chosen, None, on_success=self.document.open_path)

    def open_server_copy(self, account: Account, password: str, path: Path) -> None:
        """Read the blog's version of the post in `path` and open it as a new library file."""
        if self.document.post.path is not None and self.document.post.path == path:
            text = self.document.post.text
        else:
            text = load_post(path).text
        post_id = read_remote_record(text, account.name).id
        self.message.emit("Reading the blog's version…")
        self._pull(account, password, None, post_id, on_success=self._server_copy_ready)

    def _pull(
        self,
        account: Account,
        password: str,
        chosen: dict | None,
        post_id: int | None,
        *,
        on_success: Callable[[Path], None],
    ) -> None:
        """Run pull_post in the background; `on_success` gets the library file."""
        run_in_background(
            pull_post,
            self.client_factory,
            account,
            password,
            self.library_root,
            chosen,
            post_id,
            on_success=on_success,
            on_failure=lambda error: self._pull_failed(error, password),
            pool=self._pool,
        )

    def _server_copy_ready(self, path: Path) -> None:
        """Open the blog's version."""
        self.message.emit(f"The blog's version is in {path.name}; your draft is unchanged.")
        self.document.open_path(path)
        self.finished.emit("server_copy")

    def _pull_failed(self, error: Exception, password: str) -> None:
        """Say why a post could not be brought from the blog."""
        tell(self.window, "Could not open the blog's post", describe_error(error, password))
        self.finished.emit("failed")
