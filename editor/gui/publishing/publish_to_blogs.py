"""Blog > Publish To… and Publish to All: one post on several blogs, each with its own record.

Publish To… asks which account (every account, whatever the post's `blog:` says) and publishes
the open post there; the post gets that blog's record beside the others. Publish to All sends
the post to every blog it already lives on (its `remote:` records), one after another through
the publish controller: each publish ends in its own outcome (a conflict is asked about, an
unreachable blog goes to the outbox), and a failure on one blog does not stop the next.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QInputDialog, QWidget

from editor.gui.message_box import Icon, tell
from editor.gui.publishing.publish_controller import PublishController
from editor.publish.accounts import Account, load_accounts
from editor.publish.errors import PublishError
from editor.publish.publishing_service import PublishOutcome, accounts_of_post

log = logging.getLogger(__name__)

OUTCOME_WORDS: dict[str, str] = {
    PublishOutcome.PUBLISHED: "published",
    PublishOutcome.FAILED: "failed",
    PublishOutcome.CANCELLED: "cancelled",
    PublishOutcome.CONFLICT: "not sent (changed on the blog)",
    PublishOutcome.QUEUED: "waiting in the outbox",
    PublishOutcome.REFUSED: "not sent",
    PublishOutcome.MERGED: "merged into the editor, not sent",
    PublishOutcome.SERVER_COPY: "the blog's version opened, not sent",
}


def choose_any_account(parent: QWidget | None, accounts: list[Account]) -> Account | None:
    """Ask which of the accounts to publish to (None when cancelled)."""
    names = [account.name for account in accounts]
    name, ok = QInputDialog.getItem(
        parent, "Publish To", "Publish this post to which blog?", names, 0, False
    )
    return accounts[names.index(name)] if ok and name in names else None


class PublishToBlogs(QObject):
    """Publishes the open post to a chosen blog, or to every blog it is on, one at a time."""

    all_done = Signal(list)  # [(account name, PublishOutcome)] once Publish to All ends

    def __init__(self, publishing: PublishController) -> None:
        super().__init__(publishing)
        self.publishing = publishing
        self.window = publishing.window
        self.document = publishing.document
        self._waiting: list[Account] = []
        self._current: Account | None = None
        self._outcomes: list[tuple[str, str]] = []

    @property
    def busy(self) -> bool:
        """Tell whether a Publish to All is under way."""
        return self._current is not None

    def publish_to(self) -> None:
        """Blog > Publish To…: save, ask which blog, publish there."""
        if self.publishing.busy or self.busy:
            self.publishing.message.emit("A publish is already under way.")
            return
        self.document.save(then=self._ask_and_publish)

    def _ask_and_publish(self) -> None:
        """Ask for the account (any of them) and start the publish."""
        try:
            accounts = load_accounts()
        except PublishError as error:
            tell(self.window, "Publish To", str(error))
            return
        if not accounts:
            self.publishing.manage_accounts()
            return
        account = choose_any_account(self.window, accounts)
        if account is not None:
            self.publishing.start(account)

    def publish_to_all(self) -> None:
        """Blog > Publish to All: save, then publish to every blog the post is on, in turn."""
        if self.publishing.busy or self.busy:
            self.publishing.message.emit("A publish is already under way.")
            return
        self.document.save(then=self._start_all)

    def _start_all(self) -> None:
        """Find the post's blogs and publish to the first."""
        try:
            targets, gone = accounts_of_post(self.document.editor.exact_text(), load_accounts())
        except PublishError as error:
            tell(self.window, "Publish to All", str(error))
            return
        if not targets:
            tell(
                self.window,
                "Publish to All",
                "This post is not on any blog yet. Publish it to a blog first (Blog > Publish "
                "or Publish To…); Publish to All then updates every blog it is on.",
                icon=Icon.Information,
            )
            return
        self._outcomes = [(name, "skipped: no account of that name any more") for name in gone]
        self._waiting = list(targets)
        self.publishing.finished.connect(self._one_finished)
        self._next()

    def _next(self) -> None:
        """Publish to the next blog, or sum up when every blog had its turn."""
        if not self._waiting:
            self._current = None
            self.publishing.finished.disconnect(self._one_finished)
            self._sum_up()
            return
        self._current = self._waiting.pop(0)
        self.publishing.message.emit(f"Publishing to {self._current.name}…")
        self.publishing.start(self._current)

    def _one_finished(self, outcome: str) -> None:
        """Note one blog's outcome and go on with the next (whatever this one's was)."""
        if self._current is None:
            return
        log.info("publish to all: %s %s", self._current.name, outcome)
        self._outcomes.append((self._current.name, OUTCOME_WORDS.get(outcome, outcome)))
        self._next()

    def _sum_up(self) -> None:
        """Say how each blog's publish ended."""
        outcomes, self._outcomes = self._outcomes, []
        lines = "; ".join(f"{name}: {words}" for name, words in outcomes)
        self.publishing.message.emit(f"Publish to All: {lines}.")
        self.all_done.emit(outcomes)
