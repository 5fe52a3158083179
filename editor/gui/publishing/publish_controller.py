"""Blog > Publish, Accounts… and Open from Blog…: the window's side of publishing.

The publish runs on a worker thread (a private pool) through the publishing service
(editor/publish/publishing_service.py), which keeps its in-flight state in the publish journal,
outside the post. When it ends, the `remote:` record goes into the post once: into the editor
as one undo step and one save when the post is open, else straight into its file.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from editor.core.front_matter import FrontMatterError, with_front_matter_field
from editor.core.post import Post, PostFileError, meta_from_text
from editor.core.web_links import browser_refusal
from editor.gui.browser import open_in_browser
from editor.gui.document import DocumentController
from editor.gui.message_box import Icon, ask, tell
from editor.gui.publishing.account_capabilities import AccountCapabilities
from editor.gui.publishing.accounts_dialog import AccountsDialog, password_for, pick_account
from editor.gui.publishing.connection_trust import confirm_plain_http, offer_trust, trustable
from editor.gui.publishing.open_from_blog import SERVER_COPY, BlogOpener
from editor.gui.publishing.publish_conflict_dialog import (
    MERGE,
    OVERWRITE,
    ConflictView,
    PublishConflictDialog,
    prepare_conflict_view,
    prepare_engine_conflict_view,
)
from editor.gui.workers import run_in_background
from editor.publish import errors
from editor.publish.account_client import ClientFactory, default_client_factory
from editor.publish.accounts import Account
from editor.publish.engines.base import WORDPRESS
from editor.publish.engines.wordpress import engine_factory_over
from editor.publish.error_messages import describe_error
from editor.publish.post_statuses import normalise_status
from editor.publish.publishing_service import (
    EngineFactory,
    PublishOutcome,
    PublishRequest,
    publish_post,
    read_post_file,
    request_for,
    unasked_account,
    write_record_into_file,
)
from editor.publish.remote_record import REMOTE_KEY, RemoteRecord, remote_field

if TYPE_CHECKING:  # the publisher brings the renderer: imported when a publish starts
    from editor.publish.publisher import PublishOptions, PublishResult

log = logging.getLogger(__name__)

OPEN_LINK = "Open in browser"
DONE_WORDS = {
    "publish": "is published on",
    "draft": "is saved as a draft on",
    "future": "is scheduled on",
    "pending": "is waiting for review on",
    "private": "is published privately on",
}


@dataclass
class PublishJob:
    """One publish under way: the request, the password it goes with, and its Cancel."""

    request: PublishRequest
    password: str
    cancel: threading.Event = field(default_factory=threading.Event)

    @property
    def account(self) -> Account:
        """Return the account published to."""
        return self.request.account

    @property
    def path(self) -> Path:
        """Return the post's file."""
        return self.request.path

    @property
    def options(self) -> PublishOptions:
        """Return the publish's choices."""
        return self.request.options

    @property
    def encoding(self) -> str:
        """Return the post file's encoding (to read and write it when it is not open)."""
        return self.request.encoding


OfflineHandler = Callable[[PublishRequest, Exception], bool]
# Told of a finished publish (its request, the sentence saying where it is, its link); returns
# True when it said so itself (the outbox: a status line and a notification, no message box).
SentHandler = Callable[[PublishRequest, str, str], bool]


def _same_file(a: Path | None, b: Path | None) -> bool:
    """Tell whether two paths name the same file."""
    return a is not None and b is not None and os.path.abspath(a) == os.path.abspath(b)


class PublishController(QObject):
    """Publishes the open post, manages accounts and opens posts from the blog."""

    progress = Signal(str)  # one step of the running publish
    message = Signal(str)  # a line for the status bar
    finished = Signal(str)  # a PublishOutcome
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
        self.capabilities = AccountCapabilities()  # what each account's engine can do
        self.opener = BlogOpener(window, document, library_root, self.capabilities)
        self.opener.message.connect(self.message)
        self.opener.finished.connect(self.finished)
        self.client_factory = client_factory or default_client_factory
        self.progress_dialog: QProgressDialog | None = None
        self.conflict_dialog: PublishConflictDialog | None = None
        self._job: PublishJob | None = None
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        # Called with a publish that failed; returns True when it took it (the outbox).
        self.offline_handler: OfflineHandler | None = None
        self.sent_handler: SentHandler | None = None
        self.default_blog = ""  # Preferences: where a post naming no blog goes unasked
        self._worker_progress.connect(self._show_progress)
        application = QCoreApplication.instance()
        if application is not None:
            application.aboutToQuit.connect(self.shut_down)

    def shut_down(self) -> None:
        """The window closes: end a running publish at once (its request too), never wait."""
        if self._job is not None:
            self._job.cancel.set()

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
        # WordPress accounts use this factory's clients; other kinds their own engine.
        self.engine_factory: EngineFactory = engine_factory_over(factory)

    def manage_accounts(self) -> None:
        """Show Blog > Accounts…."""
        dialog = AccountsDialog(self.client_factory, self.window)
        dialog.exec()
        dialog.deleteLater()
        self.capabilities.forget()  # an account may have been added, changed or removed

    def open_from_blog(self) -> None:
        """Show Blog > Open from Blog…."""
        self.opener.open_from_blog()

    def start(self, account: Account) -> None:
        """Publish the open post to `account` (Blog > Publish To…, Publish to All)."""
        self._start(account)

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
        text = self.document.editor.toPlainText()
        try:
            blog = meta_from_text(text).blog
        except FrontMatterError as error:
            tell(self.window, "Not published", f"{error} Fix it before publishing.")
            return
        picked = pick_account(
            self.window,
            "Publish this post to which blog?",
            blog,
            self.manage_accounts,
            unasked=lambda accounts: unasked_account(text, accounts, self.default_blog),
        )
        if picked is None:
            return
        account, asked = picked
        if asked:
            self.document.set_field("blog", account.name)
            self.document.save(then=lambda: self._start(account))
        else:
            self._start(account)

    def publish_file(self, request: PublishRequest) -> None:
        """Publish a post file as asked (the outbox sends its entries this way)."""
        self._start(
            request.account,
            overwrite=request.options.overwrite_server_edits,
            path=request.path,
            status=request.options.status,
            encoding=request.encoding,
        )

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
        confirmed = confirm_plain_http(self.window, account)
        password = password_for(self.window, confirmed) if confirmed is not None else None
        if confirmed is None or password is None:
            self.finished.emit(PublishOutcome.REFUSED)
            return
        account = confirmed
        try:
            post = (  # the open post goes out as the window shows it (its record comes at the end)
                self.document.post.with_text(self.document.editor.exact_text())
                if path is None or _same_file(self.document.post.path, path)
                else read_post_file(path, encoding)
            )
        except PostFileError as error:
            tell(self.window, "Not published", str(error))
            self.finished.emit(PublishOutcome.REFUSED)
            return
        if post.path is None:
            self.finished.emit(PublishOutcome.REFUSED)
            return
        request = request_for(
            account, post.path, status, overwrite=overwrite, encoding=post.encoding,
            title=self.title_of(post.path),
        )  # fmt: skip
        job = PublishJob(request, password)
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

    def _run(self, job: PublishJob, post: Post) -> PublishResult:
        """Publish (worker thread); the in-flight state goes to the publish journal."""
        return publish_post(
            job.request,
            job.password,
            post,
            engine_factory=self.engine_factory,
            progress=self._worker_progress.emit,
            cancelled=job.cancel.is_set,
        )

    def _record_remote(
        self, job: PublishJob, record: RemoteRecord, done: Callable[[str], None]
    ) -> None:
        """Put the final record into the post, once; `done("")` when on disk, else why not.

        The open post gets it as one undo step and one save (none if nothing changed); a post
        file not open (the writer opened another meanwhile, or the outbox) gets it directly.
        """
        if not _same_file(self.document.post.path, job.path):
            run_in_background(
                write_record_into_file,
                job.path,
                record,
                job.encoding,
                on_success=lambda _post: done(""),
                on_failure=lambda error: done(str(error)),
            )
            return
        try:  # front matter the writer broke meanwhile cannot take it: say so
            data = remote_field(self.document.editor.exact_text(), record)
            with_front_matter_field(self.document.editor.exact_text(), REMOTE_KEY, data)
        except FrontMatterError as error:
            done(str(error))
            return
        self.document.set_field(REMOTE_KEY, data)
        if self.document.is_modified or self.document.is_saving:
            self.document.save(then=lambda: done(""), otherwise=done)
        else:
            done("")

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

    def _succeeded(self, job: PublishJob, result: PublishResult) -> None:
        """Record the final state, save, then show the link."""
        self._job = None
        self._close_progress()
        self._record_remote(job, result.record, lambda error: self._announce(job, result, error))

    def _announce(self, job: PublishJob, result: PublishResult, save_error: str) -> None:
        """Say where the post is now, with a button to open it in the browser."""
        title = self.title_of(job.path)
        words = DONE_WORDS.get(normalise_status(result.status), "is on")  # Ghost's words too
        text = f"“{title}” {words} {job.account.name}."
        if not (result.created or result.updated):
            text = f"“{title}” was already up to date on {job.account.name}."
        details = result.link
        refusal = browser_refusal(result.link) if result.link else None
        if refusal:  # the blog named no web page (file:, data:, another program's scheme)
            details += f"\n\n{refusal}"
        if save_error:
            details += f"\n\nThe post's file could not be updated: {save_error}"
        if self.sent_handler is not None and self.sent_handler(job.request, text, result.link):
            self.finished.emit(PublishOutcome.PUBLISHED)
            return
        self.message.emit(f"Published: {result.link}")
        choice = ask(
            self.window, "Published", text, [OPEN_LINK] if result.link and not refusal else [],
            icon=Icon.Information, cancel="Close", details=details,
        )  # fmt: skip
        if choice == OPEN_LINK:
            refusal = open_in_browser(result.link)
            if refusal:
                self.message.emit(refusal)
        self.finished.emit(PublishOutcome.PUBLISHED)

    def title_of(self, path: Path) -> str:
        """Return the open post's title if `path` is open, else the file's name."""
        if _same_file(self.document.post.path, path):
            try:
                return meta_from_text(self.document.editor.toPlainText()).title or path.stem
            except FrontMatterError:
                pass
        return path.stem

    def _failed(self, job: PublishJob, error: Exception) -> None:
        """Explain why the post was not published; the draft stays as it is."""
        from editor.publish.publisher import PublishCancelled

        self._job = None
        self._close_progress()
        if isinstance(error, PublishCancelled):
            self.message.emit(str(error))
            self.finished.emit(PublishOutcome.CANCELLED)
            return
        if isinstance(error, errors.EditedOnServer):
            self._resolve_conflict(job, error)
            return
        if isinstance(error, errors.UnverifiedRecord):
            self._confirm_unverified(job, error)
            return
        if self.offline_handler is not None and self.offline_handler(job.request, error):
            self.finished.emit(PublishOutcome.QUEUED)
            return
        if trustable(error):
            trusted = offer_trust(self.window, "Not published", job.account, error)
            if trusted is not None:
                self._start(
                    trusted, path=job.path, status=job.options.status, encoding=job.encoding
                )
            else:
                self.finished.emit(PublishOutcome.FAILED)
            return
        if not isinstance(error, errors.PublishError):
            log.error("publish failed unexpectedly", exc_info=error)
        text = describe_error(error, job.password)
        tell(self.window, "Not published", text, details="Your draft is unchanged.")
        self.message.emit(f"Not published: {text}")
        self.finished.emit(PublishOutcome.FAILED)

    def _confirm_unverified(self, job: PublishJob, error: errors.UnverifiedRecord) -> None:
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
            self.finished.emit(PublishOutcome.CONFLICT)

    def _publish_again_overwriting(self, job: PublishJob) -> None:
        """Run the same publish again, replacing what the blog holds (the writer chose so)."""
        self._start(
            job.account,
            overwrite=True,
            path=job.path,
            status=job.options.status,
            encoding=job.encoding,
        )

    def _resolve_conflict(self, job: PublishJob, error: errors.EditedOnServer) -> None:
        """Compare the post with the blog's version off the GUI thread, then ask what to do."""
        open_here = _same_file(self.document.post.path, job.path)
        text = self.document.editor.exact_text() if open_here else None
        self.message.emit("The post was changed on the blog; comparing it with yours…")
        run_in_background(
            _conflict_view,
            job,
            text,
            error,
            self.engine_factory,
            on_success=lambda view: self._ask_conflict(job, error, view, open_here),
            on_failure=lambda failure: self._ask_conflict(
                job, error, _unmergeable(text, failure), open_here
            ),
        )

    def _ask_conflict(
        self, job: PublishJob, error: errors.EditedOnServer, view: ConflictView, open_here: bool
    ) -> None:
        """Show the conflict dialog (window-modal); its answer comes back by `finished`."""
        dialog = PublishConflictDialog(view, self.title_of(job.path), self.window, open_here)
        self.conflict_dialog = dialog
        dialog.finished.connect(lambda _result: self._conflict_answered(job, error, dialog))
        dialog.open()

    def _conflict_answered(
        self, job: PublishJob, error: errors.EditedOnServer, dialog: PublishConflictDialog
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
            self.finished.emit(PublishOutcome.CONFLICT)

    def _merge_into_editor(
        self, job: PublishJob, error: errors.EditedOnServer, view: ConflictView, body: str
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
        self.finished.emit(PublishOutcome.MERGED)


def _conflict_view(
    job: PublishJob, text: str | None, error: errors.EditedOnServer, engines: EngineFactory
) -> ConflictView:
    """Merge and diff the post with the blog's version (worker thread)."""
    if text is None:
        text = read_post_file(job.path, job.encoding).text
    if job.account.kind not in ("", WORDPRESS):  # read back through the account's engine
        engine = engines(job.account, job.password)
        try:
            folder = job.path.parent if job.path else None
            return prepare_engine_conflict_view(engine, text, job.account.name, folder)
        finally:
            engine.close()
    return prepare_conflict_view(
        text, job.account.name, error.server_content, error.server_modified_gmt
    )


def _unmergeable(text: str | None, failure: Exception) -> ConflictView:
    """Return a view that offers no merge, saying why."""
    from editor.publish.server_merge import MergeAttempt

    log.error("comparing with the blog's version failed", exc_info=failure)
    reason = f"Draftpress could not compare your version with the blog's ({failure})."
    return ConflictView(MergeAttempt(None, reason), "", "", text or "")
