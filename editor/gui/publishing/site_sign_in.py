"""The account form's "Sign in with your site…": IndieAuth in the browser, off the GUI thread.

The steps are editor.publish.engines.indieauth's (the CLI's `blogs add --sign-in` runs the same
ones): find the site's sign-in endpoints and start the loopback listener (worker), open the
authorization page in the browser (GUI thread), wait for the redirect and exchange the code
(worker, Cancel looked at twice a second). The token is handed to the form, which stores it in
the keyring on Save like a pasted one.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget
from shiboken6 import isValid

from editor.gui.browser import open_in_browser
from editor.gui.workers import network_pool, run_in_background
from editor.publish import errors
from editor.publish.accounts import Account
from editor.publish.blog_http import BlogConnection
from editor.publish.certificates import verify_for
from editor.publish.engines.indieauth import SignedIn, SignIn, finish_sign_in, start_sign_in
from editor.publish.error_messages import describe_error

log = logging.getLogger(__name__)

BrowserOpener = Callable[[str], "str | None"]  # opens a URL; returns why not, or None


def _connection(account: Account, cancelled: Callable[[], bool] | None = None) -> BlogConnection:
    """A connection to the site without a secret, trusting the account's pinned certificate."""
    return BlogConnection(
        account.url,
        verify=verify_for(account.pinned_pem),
        pinned_sha256=account.pinned_sha256,
        cancelled=cancelled,
    )


def _start(account: Account) -> SignIn:
    """Find the site's sign-in endpoints and start listening (worker thread)."""
    with _connection(account) as connection:
        return start_sign_in(account.url, connection=connection)


def _finish(account: Account, sign_in: SignIn, cancelled: threading.Event) -> SignedIn:
    """Wait for the browser's redirect and exchange the code (worker thread)."""
    with _connection(account, cancelled.is_set) as connection:
        return finish_sign_in(
            account.url, sign_in, cancelled=cancelled.is_set, connection=connection
        )


class SiteSignIn(QWidget):
    """A "Sign in with your site…" button, a progress line and Cancel.

    `ready()` returns the account as typed when the sign-in may start (None: the form said
    why not). `signed_in` carries the `SignedIn` on the GUI thread.
    """

    signed_in = Signal(object)
    said = Signal()  # the progress line changed (the form fits itself to it)

    def __init__(
        self,
        ready: Callable[[], Account | None],
        open_url: BrowserOpener = open_in_browser,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ready = ready
        self._open_url = open_url
        self._serial = 0
        self._cancel = threading.Event()
        self.running = False
        self.button = QPushButton("S&ign in with your site…")
        self.button.setToolTip(
            "Opens your site's sign-in page (IndieAuth) in your browser; approve Draftpress "
            "there and it gets a token for this blog."
        )
        self.cancel_button = QPushButton("Cancel sign-in")
        self.cancel_button.hide()
        self.copy_button = QPushButton("&Copy sign-in address")
        self.copy_button.setToolTip("Copies the address to open in your browser")
        self.copy_button.hide()
        self._address = ""
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.button)
        row.addWidget(self.cancel_button)
        row.addWidget(self.copy_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.status)
        self.button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.copy_button.clicked.connect(self._copy_address)

    def say(self, text: str) -> None:
        """Show how the sign-in goes under the button."""
        self.status.setText(text)
        self.status.setVisible(bool(text))
        self.said.emit()

    def _set_running(self, running: bool) -> None:
        """Offer Cancel while a sign-in runs, the button otherwise."""
        self.running = running
        self.button.setEnabled(not running)
        self.cancel_button.setVisible(running)
        if not running:
            self.copy_button.hide()

    def start(self) -> None:
        """Start a sign-in: find the site's endpoints in the background."""
        account = self._ready()
        if account is None:
            return
        self._serial += 1
        serial = self._serial
        self._cancel = threading.Event()
        self._set_running(True)
        self.say(f"Finding the sign-in page of {account.url}…")
        run_in_background(
            _start,
            account,
            on_success=lambda sign_in: self._started(serial, account, sign_in),
            on_failure=lambda error: self._ended(serial, error),
            pool=network_pool(),
        )

    def _started(self, serial: int, account: Account, sign_in: SignIn) -> None:
        """Open the site's sign-in page in the browser, then wait for it in the background."""
        if not isValid(self) or serial != self._serial or self._cancel.is_set():
            sign_in.close()  # cancelled (or the form closed) meanwhile: stop listening
            return
        cancel = self._cancel
        not_opened = self._open_url(sign_in.authorization_url)
        if not_opened:
            self._address = sign_in.authorization_url  # too long to show: copied instead
            self.copy_button.show()
            self.say(
                f"{not_opened} Copy the sign-in address, open it in your browser yourself, "
                "and approve Draftpress there."
            )
        else:
            self.say(
                "Waiting for your browser: sign in to your site there and approve Draftpress, "
                "then come back here."
            )
        run_in_background(
            _finish,
            account,
            sign_in,
            cancel,
            on_success=lambda signed: self._ended(serial, signed),
            on_failure=lambda error: self._ended(serial, error),
            pool=network_pool(),
        )

    def _ended(self, serial: int, outcome: SignedIn | Exception) -> None:
        """Say how the sign-in ended; hand a token to the form."""
        if not isValid(self) or serial != self._serial:
            return
        self._set_running(False)
        if isinstance(outcome, SignedIn):
            who = f" as {outcome.me}" if outcome.me else ""
            self.say(f"Signed in{who}. Save to keep the token in your keyring.")
            self.signed_in.emit(outcome)
        elif isinstance(outcome, errors.Cancelled):
            self.say("Sign-in cancelled. Sign in again, or paste a token.")
        else:
            log.info("IndieAuth sign-in failed: %s", type(outcome).__name__)
            self.say(describe_error(outcome))

    def _copy_address(self) -> None:
        """Put the sign-in address on the clipboard."""
        QGuiApplication.clipboard().setText(self._address)
        self.say("Copied. Open the address in your browser and approve Draftpress there.")

    def cancel(self) -> None:
        """Stop the sign-in under way (its listener closes within half a second)."""
        if not self.running:
            return
        self._cancel.set()
        self._serial += 1  # whatever the worker still reports is dropped
        self._set_running(False)
        self.say("Sign-in cancelled. Sign in again, or paste a token.")
