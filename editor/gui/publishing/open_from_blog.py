"""Blog > Open from Blog…: choose a post or page on a blog and bring it into the library."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QThreadPool, Signal
from PySide6.QtWidgets import QDialog, QWidget

from editor.core.post import load_post
from editor.gui.document import DocumentController
from editor.gui.message_box import tell
from editor.gui.publishing.account_capabilities import AccountCapabilities
from editor.gui.publishing.accounts_dialog import password_for, pick_account
from editor.gui.publishing.open_from_blog_dialog import EngineLister, OpenFromBlogDialog
from editor.gui.workers import run_in_background
from editor.publish.account_client import ClientFactory, default_client_factory
from editor.publish.accounts import Account
from editor.publish.engine_pull import pull_into_library_from
from editor.publish.engines.base import WORDPRESS
from editor.publish.engines.wordpress import engine_factory_over
from editor.publish.error_messages import describe_error
from editor.publish.publishing_service import PublishOutcome
from editor.publish.pull import pull_into_library
from editor.publish.remote_record import read_remote_record, wordpress_id

log = logging.getLogger(__name__)
__all__ = ["SERVER_COPY", "BlogOpener", "OpenFromBlogDialog", "pull_post"]

SERVER_COPY = "Open the server's version as a new draft"
CANNOT_PULL = (
    "None of your blogs lets Draftpress read its posts back, so there is nothing to open. "
    "Open from Blog works with blogs whose engine can (WordPress, for one)."
)


def pull_post(
    factory: ClientFactory,
    account: Account,
    password: str,
    root: Path,
    server_post: dict | None = None,
    post_id: int | str | None = None,
    post_type: str = "post",
) -> Path:
    """Return the library file of a blog post, writing a new one when needed (worker thread).

    With `server_post` (chosen from the list) a file that already records that post is reused;
    with `post_id` the server's current version is read and always written as a new file.
    Another engine than WordPress reads the post through its engine (engine_pull.py).
    """
    if account.kind not in ("", WORDPRESS):
        remote_id = str(server_post["id"]) if server_post is not None else str(post_id or "")
        engine = engine_factory_over(factory)(account, password)
        try:
            return pull_into_library_from(
                engine, remote_id, root, account.name, reuse=server_post is not None
            )
        finally:
            engine.close()
    with factory(account, password) as client:
        if server_post is not None:
            return pull_into_library(client, server_post, root, account.name)
        fresh = client.get_post(int(post_id or 0), post_type)  # WordPress numbers its posts
        return pull_into_library(client, fresh, root, account.name, reuse=False)


class BlogOpener(QObject):
    """Brings posts from the blog into the library and opens them, reading in the background."""

    message = Signal(str)  # a line for the status bar
    finished = Signal(str)  # "server_copy" or "failed" (for the conflict's third choice)

    def __init__(
        self,
        window: QWidget,
        document: DocumentController,
        library_root: Path,
        capabilities: AccountCapabilities | None = None,
    ) -> None:
        super().__init__(window)
        self.capabilities = capabilities or AccountCapabilities()
        self.window = window
        self.document = document
        self.library_root = library_root
        self.client_factory: ClientFactory = default_client_factory
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)

    def open_from_blog(self) -> None:
        """Choose a post on the blog and open it (the library's copy, or a new file)."""
        readable = self.capabilities.accounts_that_pull()
        if self.capabilities.accounts() and not readable:
            tell(self.window, "Open from Blog", CANNOT_PULL)
            return
        picked = pick_account(self.window, "Open a post from which blog?", among=readable)
        if picked is None:
            return
        account = picked[0]
        password = password_for(self.window, account)
        if password is None:
            return
        lister = None
        if account.kind not in ("", WORDPRESS):  # listed through the account's engine
            lister = EngineLister(engine_factory_over(self.client_factory), account, password)
        dialog = OpenFromBlogDialog(
            account, password, self.client_factory, self.window, lister=lister
        )
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
        record = read_remote_record(text, account.name)
        self.message.emit("Reading the blog's version…")
        wordpress = account.kind in ("", WORDPRESS)
        self._pull(
            account,
            password,
            None,
            wordpress_id(record) if wordpress else record.id,
            post_type=record.post_type,
            on_success=self._server_copy_ready,
        )

    def _pull(
        self,
        account: Account,
        password: str,
        chosen: dict | None,
        post_id: int | str | None,
        *,
        post_type: str = "post",
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
            post_type,
            on_success=on_success,
            on_failure=lambda error: self._pull_failed(error, password),
            pool=self._pool,
        )

    def _server_copy_ready(self, path: Path) -> None:
        """Open the blog's version."""
        self.message.emit(f"The blog's version is in {path.name}; your draft is unchanged.")
        self.document.open_path(path)
        self.finished.emit(PublishOutcome.SERVER_COPY)

    def _pull_failed(self, error: Exception, password: str) -> None:
        """Say why a post could not be brought from the blog."""
        tell(self.window, "Could not open the blog's post", describe_error(error, password))
        self.finished.emit(PublishOutcome.FAILED)
