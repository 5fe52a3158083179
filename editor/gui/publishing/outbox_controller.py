"""The window's outbox: queue a publish the blog could not be reached for, send it when it answers.

A publish that fails only because no connection could be made goes into the outbox
(editor/publish/outbox.py) instead of ending with an error. A status-bar button says how many
posts wait and opens the Outbox dialog. A probe (one HEAD request per blog, without the password,
on a worker thread) runs at start-up, then with a growing pause (30 s doubling to 5 min), and
at once when the system says the network came back; when a blog answers, its posts go through
the normal publish (PublishController), one at a time, with its progress, conflicts and messages.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QStyle, QToolButton, QWidget

from editor.gui.message_box import Icon, tell
from editor.gui.publishing.publish_controller import PublishController
from editor.gui.publishing.sent_notice import SentNotice
from editor.gui.workers import network_pool, run_in_background
from editor.publish.account_client import blog_answers
from editor.publish.accounts import load_accounts
from editor.publish.errors import PublishError
from editor.publish.outbox import (
    OutboxEntry,
    find_entry,
    is_unreachable,
    load_outbox,
    queue_publish,
    remove_entry,
    waiting_text,
)
from editor.publish.outbox_sending import (
    Claim,
    OutboxBusy,
    claim_entry,
    request_for_entry,
    settle_entry,
)
from editor.publish.publish_steps import RESUME_HINT
from editor.publish.publishing_service import PublishOutcome, PublishRequest

log = logging.getLogger(__name__)


def _answering_blogs(names: list[str]) -> set[str]:
    """Return the names of the accounts whose blogs answer now (worker thread)."""
    accounts = {a.name: a for a in load_accounts()}
    return {name for name in names if name in accounts and blog_answers(accounts[name])}


class OutboxController(QObject):
    """Keeps the outbox: queues unreachable publishes, probes, sends, shows the count."""

    changed = Signal(int)  # the number of waiting publishes
    message = Signal(str)  # a line for the status bar
    FIRST_DELAY_MS = 30_000
    MAX_DELAY_MS = 300_000
    STARTUP_DELAY_MS = 2_000

    def __init__(self, window: QWidget, publishing: PublishController) -> None:
        super().__init__(window)
        self.window = window
        self.publishing = publishing
        self.sending: OutboxEntry | None = None
        self._claim: Claim | None = None  # held while this window sends from the outbox
        self._probing = False
        self._delay_ms = self.FIRST_DELAY_MS
        self.indicator = QToolButton()
        self.indicator.setAutoRaise(True)
        self.indicator.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.indicator.setIcon(window.style().standardIcon(QStyle.StandardPixmap.SP_BrowserReload))
        self.indicator.setToolTip("Posts waiting for their blog to answer: click to see them")
        self.indicator.clicked.connect(self.show_dialog)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.probe_now)
        self.notice = SentNotice(window)
        publishing.offline_handler = self._queue
        publishing.sent_handler = self._sent
        publishing.finished.connect(self._publish_finished)
        self._watch_network()
        self.refresh()
        if self.entries:
            self.timer.start(self.STARTUP_DELAY_MS)

    # -- state -----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the outbox and show its count in the status bar (hidden when empty)."""
        self.entries = load_outbox()
        count = len(self.entries)
        self.indicator.setText(waiting_text(count))
        self.indicator.setVisible(count > 0)
        self.changed.emit(count)

    def _watch_network(self) -> None:
        """Probe at once when the system reports the network back (where Qt can tell)."""
        try:
            from PySide6.QtNetwork import QNetworkInformation

            if not QNetworkInformation.loadDefaultBackend():
                return
            info = QNetworkInformation.instance()
        except (ImportError, RuntimeError) as error:
            log.info("no network information: %s", error)
            return
        if info is not None:
            info.reachabilityChanged.connect(self._network_changed)

    def _network_changed(self, reachability: object) -> None:
        """The network changed: start the pauses over and look now."""
        log.info("network reachability changed: %s", reachability)
        self._delay_ms = self.FIRST_DELAY_MS
        if self.entries:
            self.timer.start(0)

    # -- queueing --------------------------------------------------------------------------

    def _queue(self, request: PublishRequest, error: Exception) -> bool:
        """Put a publish that could not reach its blog into the outbox (PublishController hook)."""
        if not is_unreachable(error):
            return False
        account, path = request.account, Path(request.path)
        retry = self.sending is not None and (self.sending.path, self.sending.account) == (
            str(path.absolute()),
            account.name,
        )
        title = request.label  # the post's title when the publish began, or the file's name
        status, encoding = request.options.status, request.encoding
        try:
            queue_publish(path, account.name, status, str(error), title, encoding)
        except OSError as not_saved:
            text = f"{error} The outbox could not be saved either: {not_saved}"
            tell(self.window, "Not published", text)
            return True
        self.refresh()
        why = str(error).replace(RESUME_HINT, "").strip()  # the outbox publishes it again
        if not retry:
            self._delay_ms = self.FIRST_DELAY_MS
            self.timer.start(self._delay_ms)
            tell(
                self.window,
                "Waiting for the blog",
                f"{why} “{title}” waits in the outbox and is published as soon as "
                f"{account.name} answers again.",
                icon=Icon.Information,
                details="The status bar shows what waits; click it to send now or cancel.",
            )
        self.message.emit(f"{waiting_text(len(self.entries))} (the blog is unreachable)")
        return True

    # -- probing and sending ---------------------------------------------------------------

    def probe_now(self) -> None:
        """Ask each waiting blog whether it answers (worker thread); send what can go."""
        if not self.entries or self._probing:
            return
        if self.publishing.busy or self.sending is not None:
            self.timer.start(self.FIRST_DELAY_MS)
            return
        self._probing = True
        names = sorted({entry.account for entry in self.entries})
        run_in_background(
            _answering_blogs,
            names,
            on_success=self._probed,
            on_failure=self._probe_failed,
            pool=network_pool(),
        )

    def _probed(self, answering: set[str]) -> None:
        """Send the first waiting post whose blog answered; else wait longer."""
        self._probing = False
        self.refresh()
        ready = [entry for entry in self.entries if entry.account in answering]
        if ready:
            self._delay_ms = self.FIRST_DELAY_MS
            self.send(ready[0].id)
            return
        self._back_off()

    def _probe_failed(self, error: Exception) -> None:
        """A probe that failed (an unreadable accounts file, say) counts as no answer."""
        self._probing = False
        log.warning("outbox probe failed: %s", error)
        self._back_off()

    def _back_off(self) -> None:
        """Look again later, waiting twice as long as last time (up to five minutes)."""
        if self.entries:
            self.timer.start(self._delay_ms)
            self._delay_ms = min(self._delay_ms * 2, self.MAX_DELAY_MS)

    def send(self, entry_id: str) -> None:
        """Publish one waiting post now through the normal publish (Retry now, or a probe)."""
        entry = find_entry(entry_id)
        if entry is None:
            self.refresh()
            return
        if self.publishing.busy or self.sending is not None:
            self.message.emit("A publish is under way; the outbox waits for it.")
            return
        try:
            claim = claim_entry(entry_id)
        except OutboxBusy as busy:
            self.message.emit(str(busy))
            self.timer.start(self.FIRST_DELAY_MS)
            return
        if claim is None:  # sent or cancelled meanwhile (by another Draftpress, say)
            self.refresh()
            return
        try:
            request = request_for_entry(claim.entry)
        except PublishError as error:
            claim.release()
            tell(self.window, "Not published", f"{error} {claim.entry.label} stays in the outbox.")
            return
        self._claim = claim
        self.sending = claim.entry
        log.info("sending %s from the outbox to %s", claim.entry.file_name, claim.entry.account)
        self.publishing.publish_file(request)

    def _sent(self, request: PublishRequest, text: str, link: str) -> bool:
        """Say that a post sent from the outbox went out: status bar and notification only."""
        entry = self.sending
        if entry is None or (entry.path, entry.account) != (
            str(Path(request.path).absolute()),
            request.account.name,
        ):
            return False  # the writer's own publish: the usual message with its link
        if entry.title and text.startswith("“") and "” " in text:  # name it as the outbox does
            text = f"“{entry.title}” {text.split('” ', 1)[1]}"
        line = f"Sent from the outbox: {text}"
        self.message.emit(f"{line} {link}".strip())
        self.notice.show("Published from the outbox", f"{text}\n{link}".strip())
        return True

    def _publish_finished(self, outcome: str) -> None:
        """The publish the outbox started ended: sent or failed, it leaves the outbox."""
        entry, self.sending = self.sending, None
        if entry is None:
            return
        # Still unreachable: it stays (PublishController's offline hook noted the attempt).
        stays = settle_entry(entry.id, PublishOutcome(outcome))
        self._release_claim()
        if stays:
            self._back_off()
            return
        self.refresh()
        if self.entries:
            self.timer.start(0)

    def _release_claim(self) -> None:
        """Let other running Draftpress copies send from the outbox again."""
        claim, self._claim = self._claim, None
        if claim is not None:
            claim.release()

    def cancel(self, entry_id: str) -> None:
        """Take a publish out of the outbox (stopping it if it is being sent)."""
        if self.sending is not None and self.sending.id == entry_id:
            self.publishing.cancel()
        remove_entry(entry_id)
        self.refresh()
        if not self.entries:
            self.timer.stop()

    def show_dialog(self) -> None:
        """Show the Outbox dialog."""
        from editor.gui.publishing.outbox_dialog import OutboxDialog

        self.refresh()  # `draftpress publish --queue` may have added to it meanwhile
        dialog = OutboxDialog(self, self.window)
        dialog.exec()
        dialog.deleteLater()
