"""The two trust questions: a password over http://, and a certificate the system does not trust.

Both answers are stored with the account (accounts file; neither is a secret), so each is asked
once per account. The account form keeps them in an `AccountTrust` row until it is saved.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TypeGuard

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from editor.gui.message_box import Icon, ask
from editor.publish.account_client import needs_plain_http_consent, plain_http_question
from editor.publish.accounts import Account, AccountError, update_account
from editor.publish.certificates import UntrustedCertificate

log = logging.getLogger(__name__)

USE_ANYWAY = "Use it anyway"
TRUST = "Trust this certificate"
TRUST_DETAILS = (
    "Trusted, this certificate is accepted for this blog and no other certificate is: "
    "Blog > Accounts… > Edit shows it and can forget it."
)


def ask_plain_http(parent: QWidget | None, url: str) -> bool:
    """Ask whether the password may travel unencrypted to the blog at `url`."""
    answer = ask(
        parent,
        "Unencrypted connection",
        plain_http_question(url),
        [USE_ANYWAY],
        icon=Icon.Warning,
        details="Draftpress asks this once per blog. An https:// address avoids the risk.",
    )
    return answer == USE_ANYWAY


def confirm_plain_http(parent: QWidget | None, account: Account) -> Account | None:
    """Return the account once http:// is agreed to for it (asked once), or None when refused."""
    if not needs_plain_http_consent(account):
        return account
    if not ask_plain_http(parent, account.url):
        return None
    try:
        return update_account(account.name, allow_plain_http=True)
    except AccountError:  # not stored (yet): the answer holds for this use only
        return replace(account, allow_plain_http=True)


def trustable(error: Exception) -> TypeGuard[UntrustedCertificate]:
    """Tell whether the error is a refused certificate the writer could choose to trust."""
    return isinstance(error, UntrustedCertificate) and bool(error.fingerprint and error.pem)


def offer_trust(
    parent: QWidget | None, title: str, account: Account, error: UntrustedCertificate
) -> Account | None:
    """Show the refused certificate's fingerprint; return the account pinned to it if trusted."""
    answer = ask(
        parent, title, str(error), [TRUST], icon=Icon.Warning, cancel="Close", details=TRUST_DETAILS
    )
    if answer != TRUST:
        return None
    log.info("trusting certificate %s for %s", error.fingerprint, account.name)
    try:
        return update_account(account.name, pinned_sha256=error.fingerprint, pinned_pem=error.pem)
    except AccountError as missing:  # removed meanwhile
        ask(parent, title, str(missing), [], cancel="OK")
        return None


class AccountTrust(QWidget):
    """The account form's row for the trusted certificate: shown, trusted, forgotten."""

    trusted = Signal()  # the writer trusted the offered certificate

    def __init__(self, account: Account | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # The address the writer agreed to send the password to over http:// (if any).
        self.plain_http_url = account.url if account and account.allow_plain_http else ""
        self.pinned_sha256 = account.pinned_sha256 if account else ""
        self.pinned_pem = account.pinned_pem if account else ""
        self._offered: UntrustedCertificate | None = None
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.trust_button = QPushButton(TRUST)
        self.forget_button = QPushButton("&Forget certificate")
        self.trust_button.clicked.connect(self.trust_offered)
        self.forget_button.clicked.connect(self.forget)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label, 1)
        row.addWidget(self.trust_button)
        row.addWidget(self.forget_button)
        self._show()

    def apply(self, account: Account) -> Account:
        """Return `account` with this row's trust decisions."""
        return replace(
            account,
            allow_plain_http=bool(self.plain_http_url) and self.plain_http_url == account.url,
            pinned_sha256=self.pinned_sha256,
            pinned_pem=self.pinned_pem,
        )

    def offer(self, error: UntrustedCertificate) -> None:
        """Offer to trust the certificate a connection test was refused."""
        self._offered = error
        self._show()

    def trust_offered(self) -> None:
        """Trust the offered certificate (kept when the account is saved)."""
        if self._offered is not None:
            self.pinned_sha256, self.pinned_pem = self._offered.fingerprint, self._offered.pem
            self._offered = None
            self._show()
            self.trusted.emit()

    def forget(self) -> None:
        """Forget the trusted certificate: only certificates the system trusts are accepted."""
        self.pinned_sha256 = self.pinned_pem = ""
        self._show()

    def _show(self) -> None:
        """Show the pin, the offer, or nothing."""
        if self._offered is not None:
            self.label.setText(f"Refused certificate, SHA-256:\n{self._offered.fingerprint}")
        elif self.pinned_sha256:
            self.label.setText(f"Trusted certificate, SHA-256:\n{self.pinned_sha256}")
        self.trust_button.setVisible(self._offered is not None)
        self.forget_button.setVisible(self._offered is None and bool(self.pinned_sha256))
        self.setVisible(self._offered is not None or bool(self.pinned_sha256))
