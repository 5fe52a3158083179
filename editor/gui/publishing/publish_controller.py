"""Blog > Publish, Accounts… and Open from Blog…: the window's side of publishing.

The publish runs on a worker thread (a private pool, so that it never starves the saves it
waits for). Its checkpoints come to the GUI thread by signal: the remote record is written into
the front matter (one undo step) and the post saved, while the worker waits for that save, so a
pending create is on disk before the create request goes out.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from editor.core.front_matter import FrontMatterError, with_front_matter_field
from editor.core.post import NotUtf8, Post, PostFileError, load_post, meta_from_text, save_post
from editor.core.web_links import browser_refusal
from editor.gui.browser import open_in_browser
from editor.gui.document import DocumentController
from editor.gui.message_box import Icon, ask, tell
from editor.gui.publishing.accounts_dialog import (
    AccountsDialog,
    ClientFactory,
    default_client_factory,
    describe_error,
    password_for,
    pick_account,
)
from editor.gui.publishing.connection_trust import confirm_plain_http, offer_trust, trustable
from editor.gui.publishing.open_from_blog import SERVER_COPY, BlogOpener
from editor.gui.publishing.publish_conflict_dialog import (
    MERGE,
    OVERWRITE,
    ConflictView,
    PublishConflictDialog,
    prepare_conflict_view,
)
from editor.gui.workers import run_in_background
from editor.publish import errors
from editor.publish.accounts import Account
from editor.publish.remote_record import REMOTE_KEY

log = logging.getLogger(__name__)

CHECKPOINT_TIMEOUT_S = 15.0
CANCEL_CHECK_S = 0.1  # how often a worker waiting for the window looks at Cancel
OPEN_LINK = "Open in browser"
DONE_WORDS = {
    "publish": "is published on",
    "draft": "is saved as a draft on",
    "future": "is scheduled on",
    "pending": "is waiting for review on",
    "private": "is published privately on",
}


@dataclass
class _Checkpoint:
    """One record handed from the worker to the GUI thread, and the answer it waits for."""

    data: dict[str, Any]
    done: threading.Event = field(default_factory=threading.Event)
    error: str = ""

    def finish(self, error: str = "") -> None:
        """Tell the waiting worker that the record is saved (or why it is not)."""
        self.error = error
        self.done.set()


@dataclass
class _Job:
    """One publish under way."""

    account: Account
    password: str
    path: Path
    options: Any  # PublishOptions
    encoding: str = "utf-8"  # the post file's encoding, to read and write it when it is not open
    cancel: threading.Event = field(default_factory=threading.Event)


def _same_file(a: Path | None, b: Path | None) -> bool:
    """Tell whether two paths name the same file."""
    return a is not None and b is not None and os.path.abspath(a) == os.path.abspath(b)


def _read_post(path: Path, encoding: str) -> Post:
    """Read a post file that is not open: UTF-8 (or by its BOM), else in the encoding known."""
    try:
        return load_post(path)
    except NotUtf8:
        if encoding.lower().replace("_", "-") in ("", "utf-8", "utf8"):
            raise
        return load_post(path, encoding)


def _write_remote(path: Path, data: dict[str, Any], encoding: str) -> Post:
    """Write a remote record into a post file that is not open in the editor (worker thread)."""
    post = _read_post(path, encoding)
    return save_post(post.with_text(with_front_matter_field(post.text, REMOTE_KEY, data)))


class PublishController(QObject):
    """Publishes the open post, manages accounts and opens posts from the blog."""

    progress = Signal(str)  # one step of the running publish
    message = Signal(str)  # a line for the status bar
    finished = Signal(str)  # published, failed, cancelled, conflict, server_copy, refused
    _checkpoint_wanted = Signal(object)  # a _Checkpoint, from the worker thread
    _worker_progress = Signal(str)

    def __init__(
        self,
        window: QWidget,
        document: DocumentController,
        library_root: Path,
        client_factory: ClientFactory | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.document = document
        self.library_root = library_root
        self.opener = BlogOpener(window, document, library_root)
        self.opener.message.connect(self.message)
        self.opener.finished.connect(self.finished)
        self.client_factory = client_factory or default_client_factory
        self.progress_dialog: QProgressDialog | None = None
        self.conflict_dialog: PublishConflictDialog | None = None
        self._job: _Job | None = None
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._waiting: list[_Checkpoint] = []  # checkpoints a worker waits for
        # Called with a publish that failed; returns True when it took the job (the outbox).
        self.offline_handler: Callable[[_Job, Exception], bool] | None = None
        self._checkpoint_wanted.connect(self._apply_checkpoint)
        self._worker_progress.connect(self._show_progress)
        QCoreApplication.instance().aboutToQuit.connect(self.shut_down)

    def shut_down(self) -> None:
        """The window closes: end a running publish at once (its request too), never wait."""
        if self._job is not None:
            self._job.cancel.set()
        for checkpoint in self._waiting:
            checkpoint.finish("Draftpress is closing")

    @property
    def busy(self) -> bool:
        """Tell whether a publish is under way."""
        return self._job is not None

    # -- accounts --------------------------------------------------------------------------

    @property
    def client_factory(self) -> ClientFactory:
        """Return the factory of blog clients (tests put a fake blog behind it)."""
        return self._client_factory

    @client_factory.setter
    def client_factory(self, factory: ClientFactory) -> None:
        self._client_factory = factory
        self.opener.client_factory = factory

    def manage_accounts(self) -> None:
        """Show Blog > Accounts…."""
        dialog = AccountsDialog(self.client_factory, self.window)
        dialog.exec()
        dialog.deleteLater()

    def open_from_blog(self) -> None:
        """Show Blog > Open from Blog…."""
        self.opener.open_from_blog()

    # -- publishing ------------------------------------------------------------------------

    def publish(self) -> None:
        """Publish the open post (saving it first, so that the file is what goes out)."""
        if self._job is not None:
            if self.progress_dialog is not None:
                self.progress_dialog.show()
                self.progress_dialog.raise_()
            self.message.emit("A publish is already under way.")
            return
        if self.document.post.path is None or self.document.is_modified:
            self.document.save(then=self._choose_blog)
        else:
            self._choose_blog()

    def _choose_blog(self) -> None:
        """Find the account to publish to; a blog chosen here is written into the front matter."""
        try:
            blog = meta_from_text(self.document.editor.toPlainText()).blog
        except FrontMatterError as error:
            tell(self.window, "Not published", f"{error} Fix it before publishing.")
            return
        picked = pick_account(
            self.window, "Publish this post to which blog?", blog, self.manage_accounts
        )
        if picked is None:
            return
        account, asked = picked
        if asked:
            self.document.set_field("blog", account.name)
            self.document.save(then=lambda: self._start(account))
        else:
            self._start(account)

    def publish_file(
        self, account: Account, path: Path, status: str | None = None, encoding: str = ""
    ) -> None:
        """Publish the post file `path` (the outbox sends its entries this way)."""
        self._start(account, path=path, status=status, encoding=encoding)

    def _start(
        self,
        account: Account,
        *,
        overwrite: bool = False,
        path: Path | None = None,
        status: str | None = None,
        encoding: str = "",
    ) -> None:
        """Read the password and start publishing the post (the open one, or the file `path`)."""
        # Imported on first use: the publisher brings the renderer and the block converter.
        from editor.publish.publisher import PublishOptions

        account = confirm_plain_http(self.window, account)
        password = password_for(self.window, account) if account is not None else None
        if account is None or password is None:
            self.finished.emit("refused")
            return
        try:
            post = (  # the open post goes out as the window shows it (its checkpoint saves it)
                self.document.post.with_text(self.document.editor.exact_text())
                if path is None or _same_file(self.document.post.path, path)
                else _read_post(path, encoding)
            )
        except PostFileError as error:
            tell(self.window, "Not published", str(error))
            self.finished.emit("refused")
            return
        if post.path is None:
            self.finished.emit("refused")
            return
        options = PublishOptions(
            status=status, overwrite_server_edits=overwrite, output=account.output
        )
        job = _Job(account, password, post.path, options, post.encoding)
        self._job = job
        self._open_progress(account)
        log.info("publishing %s to %s", post.path, account.name)
        run_in_background(
            self._run,
            job,
            post,
            on_success=lambda result: self._succeeded(job, result),
            on_failure=lambda error: self._failed(job, error),
            pool=self._pool,
        )

    def _run(self, job: _Job, post: Post) -> Any:
        """Publish (worker thread)."""
        from editor.publish.publisher import Publisher  # first use (see _start)

        with self.client_factory(job.account, job.password) as client:
            client.cancelled = job.cancel.is_set  # Cancel ends the request under way too
            publisher = Publisher(
                client,
                progress=self._worker_progress.emit,
                cancelled=job.cancel.is_set,
                checkpoint=lambda record: self._wait_for_checkpoint(record, job),
            )
            return publisher.publish(post, job.account.name, job.options)

    def _wait_for_checkpoint(self, record: Any, job: _Job) -> None:
        """Have the GUI thread write and save the record; wait until it is on disk (worker)."""
        from editor.publish.publisher import CANCELLED, PublishCancelled

        checkpoint = _Checkpoint(record.to_yaml_data())
        self._checkpoint_wanted.emit(checkpoint)
        for _slice in range(round(CHECKPOINT_TIMEOUT_S / CANCEL_CHECK_S)):
            if checkpoint.done.wait(CANCEL_CHECK_S):
                break
            if job.cancel.is_set():  # nothing more is sent; the save may still finish
                raise PublishCancelled(CANCELLED)
        else:
            raise errors.PublishError(
                "Draftpress could not save the post's publishing state in time, so it stopped "
                "before sending the post. Save the post, then publish again."
            )
        if checkpoint.error and job.cancel.is_set():  # the window closes
            raise PublishCancelled(CANCELLED)
        if checkpoint.error:
            raise errors.PublishError(
                f"The post's publishing state could not be saved ({checkpoint.error}), so "
                "Draftpress stopped before sending the post."
            )

    def _apply_checkpoint(self, checkpoint: _Checkpoint) -> None:
        """Write a checkpoint's record and save (GUI thread)."""
        job = self._job
        if job is None:
            checkpoint.finish("the publish is over")
            return
        self._waiting.append(checkpoint)

        def finish(error: str) -> None:
            self._waiting = [c for c in self._waiting if c is not checkpoint]
            checkpoint.finish(error)

        self._record_remote(job, checkpoint.data, finish)

    def _record_remote(self, job: _Job, data: dict[str, Any], done: Callable[[str], None]) -> None:
        """Put the remote record into the post and save it; `done("")` once it is on disk.

        If the writer opened another post meanwhile, the record goes into the file directly.
        """
        if not _same_file(self.document.post.path, job.path):
            run_in_background(
                _write_remote,
                job.path,
                data,
                job.encoding,
                on_success=lambda _post: done(""),
                on_failure=lambda error: done(str(error)),
            )
            return
        self.document.set_field(REMOTE_KEY, data)
        self._save_document(done)

    def _save_document(self, done: Callable[[str], None]) -> None:
        """Save the open post and call `done` with "" or the reason it failed."""
        document = self.document
        if getattr(document, "_saving", False):  # a save already under way: save after it
            QTimer.singleShot(50, lambda: self._save_document(done))
            return
        answered = [False]

        def answer(error: str) -> None:
            if answered[0]:
                return
            answered[0] = True
            document.failed.disconnect(failed)
            done(error)

        def failed(message: str) -> None:
            answer(message or "the save failed")

        document.failed.connect(failed)
        document.save(then=lambda: answer(""))

    def _show_progress(self, text: str) -> None:
        """Show one step of the publish."""
        if self.progress_dialog is not None and self._job and not self._job.cancel.is_set():
            self.progress_dialog.setLabelText(text)
        self.progress.emit(text)

    def _open_progress(self, account: Account) -> None:
        """Show the non-modal progress window with its Cancel button."""
        dialog = QProgressDialog(f"Publishing to {account.name}…", "Cancel", 0, 0, self.window)
        dialog.setWindowTitle("Publishing")
        dialog.setWindowModality(Qt.WindowModality.NonModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumWidth(420)
        dialog.canceled.connect(self.cancel)
        self.progress_dialog = dialog
        dialog.show()

    def _close_progress(self) -> None:
        """Close the progress window (closing it must not count as a cancel)."""
        dialog, self.progress_dialog = self.progress_dialog, None
        if dialog is not None:
            dialog.canceled.disconnect(self.cancel)
            dialog.hide()
            dialog.deleteLater()

    def cancel(self) -> None:
        """Stop the publish now, its request under way too; what was uploaded stays recorded."""
        if self._job is not None and not self._job.cancel.is_set():
            self._job.cancel.set()
            log.info("publish cancelled by the writer")
            self.message.emit("Cancelling the publish…")

    def _succeeded(self, job: _Job, result: Any) -> None:
        """Record the final state, save, then show the link."""
        self._job = None
        self._close_progress()
        self._record_remote(
            job, result.record.to_yaml_data(), lambda error: self._announce(job, result, error)
        )

    def _announce(self, job: _Job, result: Any, save_error: str) -> None:
        """Say where the post is now, with a button to open it in the browser."""
        title = self._title_of(job.path)
        words = DONE_WORDS.get(result.status, "is on")
        text = f"“{title}” {words} {job.account.name}."
        if not (result.created or result.updated):
            text = f"“{title}” was already up to date on {job.account.name}."
        details = result.link
        refusal = browser_refusal(result.link) if result.link else None
        if refusal:  # the blog named no web page (file:, data:, another program's scheme)
            details += f"\n\n{refusal}"
        if save_error:
            details += f"\n\nThe post's file could not be updated: {save_error}"
        self.message.emit(f"Published: {result.link}")
        choice = ask(
            self.window, "Published", text, [OPEN_LINK] if result.link and not refusal else [],
            icon=Icon.Information, cancel="Close", details=details,
        )  # fmt: skip
        if choice == OPEN_LINK:
            refusal = open_in_browser(result.link)
            if refusal:
                self.message.emit(refusal)
        self.finished.emit("published")

    def _title_of(self, path: Path) -> str:
        """Return the open post's title if `path` is open, else the file's name."""
        if _same_file(self.document.post.path, path):
            try:
                return meta_from_text(self.document.editor.toPlainText()).title or path.stem
            except FrontMatterError:
                pass
        return path.stem

    def _failed(self, job: _Job, error: Exception) -> None:
        """Explain why the post was not published; the draft stays as it is."""
        from editor.publish.publisher import PublishCancelled

        self._job = None
        self._close_progress()
        if isinstance(error, PublishCancelled):
            self.message.emit(str(error))
            self.finished.emit("cancelled")
            return
        if isinstance(error, errors.EditedOnServer):
            self._resolve_conflict(job, error)
            return
        if isinstance(error, errors.UnverifiedRecord):
            self._confirm_unverified(job, error)
            return
        if self.offline_handler is not None and self.offline_handler(job, error):
            self.finished.emit("queued")
            return
        if trustable(error):
            trusted = offer_trust(self.window, "Not published", job.account, error)
            if trusted is not None:
                self._start(
                    trusted, path=job.path, status=job.options.status, encoding=job.encoding
                )
            else:
                self.finished.emit("failed")
            return
        if not isinstance(error, errors.PublishError):
            log.error("publish failed unexpectedly", exc_info=error)
        text = describe_error(error, job.password)
        tell(self.window, "Not published", text, details="Your draft is unchanged.")
        self.message.emit(f"Not published: {text}")
        self.finished.emit("failed")

    def _confirm_unverified(self, job: _Job, error: errors.UnverifiedRecord) -> None:
        """Ask before updating a blog post the file cannot prove it published."""
        update = f"Update “{error.title}”"
        choice = ask(
            self.window,
            "Update this post on the blog?",
            f"{error} Update “{error.title}” on the blog?",
            [update],
            icon=Icon.Warning,
            details="Updating replaces that post's text on the blog with this file's. "
            "Cancel changes nothing.",
        )
        if choice == update:
            self._publish_again_overwriting(job)
        else:
            self.finished.emit("conflict")

    def _publish_again_overwriting(self, job: _Job) -> None:
        """Run the same publish again, replacing what the blog holds (the writer chose so)."""
        self._start(
            job.account,
            overwrite=True,
            path=job.path,
            status=job.options.status,
            encoding=job.encoding,
        )

    def _resolve_conflict(self, job: _Job, error: errors.EditedOnServer) -> None:
        """Compare the post with the blog's version off the GUI thread, then ask what to do."""
        open_here = _same_file(self.document.post.path, job.path)
        text = self.document.editor.exact_text() if open_here else None
        self.message.emit("The post was changed on the blog; comparing it with yours…")
        run_in_background(
            _conflict_view,
            job,
            text,
            error,
            on_success=lambda view: self._ask_conflict(job, error, view, open_here),
            on_failure=lambda failure: self._ask_conflict(
                job, error, _unmergeable(text, failure), open_here
            ),
        )

    def _ask_conflict(
        self, job: _Job, error: errors.EditedOnServer, view: ConflictView, open_here: bool
    ) -> None:
        """Show the conflict dialog (window-modal); its answer comes back by `finished`."""
        dialog = PublishConflictDialog(view, self._title_of(job.path), self.window, open_here)
        self.conflict_dialog = dialog
        dialog.finished.connect(lambda _result: self._conflict_answered(job, error, dialog))
        dialog.open()

    def _conflict_answered(
        self, job: _Job, error: errors.EditedOnServer, dialog: PublishConflictDialog
    ) -> None:
        """Merge, overwrite, open the blog's version, or leave everything as it is."""
        self.conflict_dialog = None
        dialog.deleteLater()
        choice = dialog.choice
        if choice == MERGE and dialog.merged_body is not None:
            self._merge_into_editor(job, error, dialog.view, dialog.merged_body)
        elif choice == OVERWRITE:
            self._publish_again_overwriting(job)
        elif choice == SERVER_COPY:
            self.opener.open_server_copy(job.account, job.password, job.path)
        else:
            self.message.emit("Not published: the blog's changes are kept.")
            self.finished.emit("conflict")

    def _merge_into_editor(
        self, job: _Job, error: errors.EditedOnServer, view: ConflictView, body: str
    ) -> None:
        """Put the merged post into the editor as one undoable, unsaved change."""
        if not _same_file(self.document.post.path, job.path) or (
            self.document.editor.exact_text() != view.text
        ):  # the writer typed (or opened another post) meanwhile: compare again
            self._resolve_conflict(job, error)
            return
        from editor.publish.server_merge import keep_server_copy, merged_text, summary

        blog = job.account.name
        text = merged_text(view.text, body, blog, view.attempt)
        self.document.editor.replace_all_text(text)
        run_in_background(  # on the publish pool: kept before the next publish reads it
            keep_server_copy,
            text,
            blog,
            view.attempt,
            on_success=lambda _none: None,
            on_failure=lambda failure: log.warning("could not keep the blog's copy: %s", failure),
            pool=self._pool,
        )
        assert view.attempt.outcome is not None
        self.message.emit(
            f"{summary(view.attempt.outcome)} Nothing is published yet: read it over, then "
            "publish. Edit > Undo takes the merge back."
        )
        self.finished.emit("merged")


def _conflict_view(job: _Job, text: str | None, error: errors.EditedOnServer) -> ConflictView:
    """Merge and diff the post with the blog's version (worker thread)."""
    if text is None:
        text = _read_post(job.path, job.encoding).text
    return prepare_conflict_view(
        text, job.account.name, error.server_content, error.server_modified_gmt
    )


def _unmergeable(text: str | None, failure: Exception) -> ConflictView:
    """Return a view that offers no merge, saying why."""
    from editor.publish.server_merge import MergeAttempt

    log.error("comparing with the blog's version failed", exc_info=failure)
    reason = f"Draftpress could not compare your version with the blog's ({failure})."
    return ConflictView(MergeAttempt(None, reason), "", "", text or "")
