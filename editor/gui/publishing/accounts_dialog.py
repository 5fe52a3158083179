"""Blog > Accounts…: add, edit, test and remove blog accounts; passwords only in the keyring."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from editor.gui.browser import open_in_browser
from editor.gui.message_box import Icon, ask, tell
from editor.gui.publishing.connection_trust import AccountTrust, ask_plain_http, trustable
from editor.gui.publishing.site_sign_in import BrowserOpener, SiteSignIn
from editor.gui.workers import network_pool, run_in_background
from editor.publish.account_client import ClientFactory, needs_plain_http_consent
from editor.publish.account_saving import save_account
from editor.publish.accounts import (
    OUTPUTS,
    Account,
    AccountError,
    find_account,
    load_accounts,
    normalize_url,
    read_password,
    remove_account,
)
from editor.publish.blog_http import clear_text_warning
from editor.publish.certificates import verify_for
from editor.publish.engines.base import MICROPUB, WORDPRESS, LoginReport
from editor.publish.engines.detect import NONE_FOUND, Detection, detect_engines
from editor.publish.engines.indieauth import SignedIn
from editor.publish.engines.registry import ENGINES, engine_spec
from editor.publish.engines.wordpress import engine_factory_over
from editor.publish.error_messages import describe_error
from editor.publish.errors import PublishError

log = logging.getLogger(__name__)

OUTPUT_LABELS = {
    "auto": "Automatic (ask the blog)",
    "blocks": "Blocks (for the block editor)",
    "classic": "Classic HTML",
}
WARNING_STYLE = "color: #9a4b00;"
ERROR_STYLE = "color: #b00020;"


def _check(
    factory: ClientFactory, account: Account, typed: str, original: Account | None
) -> LoginReport:
    """Log in through the account's engine with the typed secret (or the stored one)."""
    password = typed or (read_password(original) if original is not None else "")
    if not password:
        label = engine_spec(account.kind).credential.label.lower()
        raise AccountError(f"Enter the {label} to test the connection.")
    engine = engine_factory_over(factory)(account, password)
    try:
        return engine.check()
    finally:
        engine.close()


def _detect(account: Account) -> Detection:
    """Find the engine the account's address speaks, without credentials (worker thread)."""
    return detect_engines(
        account.url, verify=verify_for(account.pinned_pem), pinned_sha256=account.pinned_sha256
    )


class AccountEditor(QDialog):
    """The form for one account; Save stores it (and refuses with a message when it cannot)."""

    def __init__(
        self,
        account: Account | None,
        client_factory: ClientFactory,
        parent: QWidget | None,
        open_url: BrowserOpener = open_in_browser,  # the system browser (tests play it)
    ) -> None:
        super().__init__(parent)
        self.original = account
        self.client_factory = client_factory
        self.setWindowTitle("Edit blog account" if account else "Add blog account")
        self.setMinimumWidth(520)
        self._serial = 0

        self.name_edit = QLineEdit(account.name if account else "")
        self.name_edit.setPlaceholderText("A short name, e.g. my blog")
        self.url_edit = QLineEdit(account.url if account else "")
        self.url_edit.setPlaceholderText("https://blog.example")
        self.url_warning = QLabel()
        self.url_warning.setWordWrap(True)
        self.url_warning.setStyleSheet(WARNING_STYLE)
        self.url_warning.hide()
        self.detect_button = QPushButton("&Find blog")
        self.engine_box = QComboBox()
        if account is None:
            self.engine_box.addItem("Found from the address", "")
        for kind, spec in ENGINES.items():
            self.engine_box.addItem(spec.label, kind)
        if account is not None:
            self.engine_box.setCurrentIndex(max(0, self.engine_box.findData(account.kind)))
        self.engine_note = QLabel()
        self.engine_note.setWordWrap(True)
        self.engine_note.hide()
        self.user_edit = QLineEdit(account.user if account else "")
        self.user_edit.setPlaceholderText("Your user name on the blog")
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_hint = QLabel()
        self.password_hint.setWordWrap(True)
        self.site_sign_in = SiteSignIn(self._sign_in_ready, open_url, self)
        self.site_sign_in.signed_in.connect(self._signed_in)
        self.site_sign_in.said.connect(self._fit)
        self.output_box = QComboBox()
        for value in OUTPUTS:
            self.output_box.addItem(OUTPUT_LABELS[value], value)
        output = account.output if account and account.output in OUTPUTS else "auto"
        self.output_box.setCurrentIndex(OUTPUTS.index(output))
        self.test_button = QPushButton("&Test connection")
        self.test_result = QLabel()
        self.test_result.setWordWrap(True)
        self.test_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.trust = AccountTrust(account, self)
        self.trust.trusted.connect(self.test_connection)

        form = QFormLayout()
        self.form = form
        address_row = QHBoxLayout()
        address_row.addWidget(self.url_edit, 1)
        address_row.addWidget(self.detect_button)
        # The address first: the engine follows. A row whose field is a layout gets no buddy
        # from addRow, so its mnemonic label is made here (else "&" shows as typed).
        address_label = QLabel("&Site address")
        address_label.setBuddy(self.url_edit)
        form.addRow(address_label, address_row)
        form.addRow("", self.url_warning)
        form.addRow("&Engine", self.engine_box)
        form.addRow("", self.engine_note)
        form.addRow("&Name", self.name_edit)
        form.addRow("&User name", self.user_edit)
        self.password_label = QLabel("Application &password")
        self.password_label.setBuddy(self.password_edit)
        form.addRow("", self.site_sign_in)  # IndieAuth: the token without copying it
        form.addRow(self.password_label, self.password_edit)
        form.addRow("", self.password_hint)
        form.addRow("&Output", self.output_box)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addStretch(1)
        form.addRow("", test_row)
        form.addRow("", self.test_result)
        form.addRow("", self.trust)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

        self.url_edit.textChanged.connect(self._update_url_warning)
        self.url_edit.returnPressed.connect(self.detect_engine)
        self.detect_button.clicked.connect(self.detect_engine)
        self.engine_box.currentIndexChanged.connect(lambda _index: self._show_engine_fields())
        self.test_button.clicked.connect(self.test_connection)
        self._update_url_warning()
        self._show_engine_fields()

    @property
    def kind(self) -> str:
        """Return the engine chosen or found ("" while a new account's is not known yet)."""
        return str(self.engine_box.currentData() or "")

    def _show_engine_fields(self) -> None:
        """Show the credential the engine asks for (label and hint), and only its fields."""
        kind = self.kind
        known = bool(kind)
        spec = engine_spec(kind or WORDPRESS)
        credential = spec.credential
        label = credential.label
        self.password_label.setText(label[:1] + "&" + label[1:])
        self.password_edit.setPlaceholderText(
            "Leave empty to keep the stored one" if self.original else credential.hint
        )
        self.password_hint.setText(credential.hint)
        rows = (
            (self.name_edit, known),
            (self.user_edit, known and credential.needs_user),
            (self.site_sign_in, kind == MICROPUB),
            (self.password_edit, known),
            (self.password_hint, known and bool(credential.hint)),
            (self.output_box, known and spec.kind == WORDPRESS),  # blocks or classic HTML
            (self.test_result, known),
        )
        for widget, visible in rows:
            self.form.setRowVisible(widget, visible)
        self.message.clear()  # a refusal about another engine's credential no longer holds
        self.test_button.setVisible(known)
        self._fit()

    def detect_engine(self) -> None:
        """Find the blog's engine from its address in the background (no password sent)."""
        account = self.account()
        if not account.url:
            self._tell_engine("Enter the blog's address first.")
            return
        self._serial += 1
        serial = self._serial
        self.detect_button.setEnabled(False)
        self._tell_engine(f"Looking at {account.url}…")
        run_in_background(
            _detect,
            account,
            on_success=lambda found: self._detected(serial, found),
            on_failure=lambda error: self._detected(serial, error),
            pool=network_pool(),
        )

    def _tell_engine(self, text: str) -> None:
        """Show a line about the engine under its field."""
        self.engine_note.setText(text)
        self.engine_note.setVisible(bool(text))
        self._fit()

    def _detected(self, serial: int, outcome: Detection | Exception) -> None:
        """Select the engine found, or say why none was and let the writer choose."""
        if not isValid(self) or serial != self._serial:
            return
        self.detect_button.setEnabled(True)
        if isinstance(outcome, Exception):
            self._tell_engine(f"{describe_error(outcome)} Choose the blog's engine yourself.")
            if trustable(outcome):
                self.trust.offer(outcome)
            return
        if not outcome.kind:
            self._tell_engine(NONE_FOUND.format(url=outcome.url))
            return
        self.engine_box.setCurrentIndex(self.engine_box.findData(outcome.kind))
        also = [ENGINES[k].label for k in outcome.found[1:] if k in ENGINES]
        more = f"; it also speaks {', '.join(also)}" if also else ""
        self._tell_engine(f"A {ENGINES[outcome.kind].label} blog{more}.")

    def _sign_in_ready(self) -> Account | None:
        """Return the account to sign in to, or None after saying why not (no address, or a
        token that would travel unencrypted without the writer's consent)."""
        account = self.account()
        if not account.url:
            self.site_sign_in.say("Enter the blog's address first.")
            return None
        if not self._http_agreed():
            self.site_sign_in.say("Not signed in: the token would travel unencrypted.")
            return None
        return self.account()

    def _signed_in(self, signed: SignedIn) -> None:
        """Put the site's token in the token field: Save keeps it in the keyring."""
        self.password_edit.setText(signed.token)
        self.test_result.clear()
        self._fit()

    def done(self, result: int) -> None:
        """Close the form, stopping a sign-in still waiting for the browser."""
        self.site_sign_in.cancel()
        super().done(result)

    def account(self) -> Account:
        """Return the account as typed (not yet saved)."""
        kind = self.kind or WORDPRESS  # not detected yet: the default kind, as before engines
        needs_user = engine_spec(kind).credential.needs_user
        typed = Account(
            name=self.name_edit.text().strip(),
            url=normalize_url(self.url_edit.text()),
            user=self.user_edit.text().strip() if needs_user else "",
            kind=kind,
            output=str(self.output_box.currentData()),
        )
        return self.trust.apply(typed)

    def _http_agreed(self) -> bool:
        """Ask once whether the password may go over http:// to this blog; tell the answer."""
        url = self.account().url
        if needs_plain_http_consent(self.account()) and ask_plain_http(self, url):
            self.trust.plain_http_url = url
        return not needs_plain_http_consent(self.account())

    def _update_url_warning(self) -> None:
        """Warn, as the address is typed, when a password would travel in clear text."""
        warning = clear_text_warning(normalize_url(self.url_edit.text()))
        self.url_warning.setText(warning or "")
        self.url_warning.setVisible(bool(warning))
        self._fit()

    def _fit(self) -> None:
        """Resize to the wrapped labels' text (the form layout does not grow the window itself)."""
        if not self.isVisible():
            return
        width = self.width()
        self.layout().activate()
        self.adjustSize()
        if self.width() < width:
            self.resize(width, self.height())

    def test_connection(self) -> None:
        """Log in with the typed values in the background and show what the blog said."""
        account = self.account()
        needs_user = engine_spec(account.kind).credential.needs_user
        if not account.url or (needs_user and not account.user):
            self.test_result.setText("Enter the site address and your user name first.")
            self._fit()
            return
        if not self._http_agreed():
            self.test_result.setText("Not tested: the password would travel unencrypted.")
            self._fit()
            return
        account = self.account()
        self._serial += 1
        serial = self._serial
        self.test_button.setEnabled(False)
        self.test_result.setText("Connecting…")
        self._fit()
        typed = self.password_edit.text()
        run_in_background(
            _check,
            self.client_factory,
            account,
            typed,
            self.original,
            on_success=lambda report: self._tested(serial, report, typed),
            on_failure=lambda error: self._tested(serial, error, typed),
            pool=network_pool(),
        )

    def _tested(self, serial: int, outcome: LoginReport | Exception, typed: str) -> None:
        """Show a finished test (a newer test or a closed dialog drops it)."""
        if not isValid(self) or serial != self._serial:
            return
        self.test_button.setEnabled(True)
        if isinstance(outcome, LoginReport):
            self.test_result.setText("Connected. " + outcome.summary())
        else:
            self.test_result.setText(describe_error(outcome, typed))
            if trustable(outcome):
                self.trust.offer(outcome)
        self._fit()

    def accept(self) -> None:
        """Save the account; stay open with the reason when it cannot be saved."""
        password = self.password_edit.text()
        if not self._http_agreed():
            self.message.setText(
                "Not saved: use the blog's https:// address, or agree to send the password "
                "unencrypted."
            )
            self._fit()
            return
        try:
            self.saved = save_account(self.account(), password, self.original)
        except PublishError as error:
            self.message.setText(describe_error(error, password))
            self._fit()
            return
        self.password_edit.clear()
        super().accept()


class AccountsDialog(QDialog):
    """The list of blog accounts with Add, Edit and Remove."""

    def __init__(self, client_factory: ClientFactory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.client_factory = client_factory
        self.active_editor: AccountEditor | None = None
        self.setWindowTitle("Blog accounts")
        self.setMinimumSize(520, 320)
        self.list = QListWidget()
        self.list.itemDoubleClicked.connect(lambda _item: self.edit())
        self.add_button = QPushButton("&Add…")
        self.edit_button = QPushButton("&Edit…")
        self.remove_button = QPushButton("&Remove")
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.remove_button.clicked.connect(self.remove)
        self.message = QLabel()
        self.message.setWordWrap(True)
        side = QVBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button):
            side.addWidget(button)
        side.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addLayout(side)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())
        self.refresh()

    def refresh(self, select: str = "") -> None:
        """List the accounts (never their passwords)."""
        self.list.clear()
        try:
            accounts = load_accounts()
        except PublishError as error:
            self.message.setText(str(error))
            accounts = []
        for account in accounts:
            pinned = " · own certificate trusted" if account.pinned_sha256 else ""
            who = f"{account.user} at " if account.user else ""  # token engines log in no user
            engine = ENGINES[account.kind].label if account.kind in ENGINES else account.kind
            item = QListWidgetItem(f"{account.name} — {who}{account.url} · {engine}{pinned}")
            item.setData(Qt.ItemDataRole.UserRole, account)
            self.list.addItem(item)
            if account.name == select:
                self.list.setCurrentItem(item)
        if not accounts:
            self.message.setText("No blog accounts yet. Add the blog you publish to.")
        elif self.message.text().startswith("No blog accounts"):
            self.message.clear()
        self._update_buttons()

    def selected(self) -> Account | None:
        """Return the selected account."""
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _update_buttons(self) -> None:
        """Enable Edit and Remove only with a selection."""
        chosen = self.selected() is not None
        self.edit_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    def _run_editor(self, account: Account | None) -> None:
        """Show the account form; list the result when it was saved."""
        editor = AccountEditor(account, self.client_factory, self)
        self.active_editor = editor
        accepted = editor.exec() == QDialog.DialogCode.Accepted
        self.active_editor = None
        if accepted:
            self.refresh(select=editor.saved.name)
            self.message.setText(f"Saved “{editor.saved.name}”.")
        editor.deleteLater()

    def add(self) -> None:
        """Add an account."""
        self._run_editor(None)

    def edit(self) -> None:
        """Edit the selected account."""
        account = self.selected()
        if account is not None:
            self._run_editor(account)

    def remove(self) -> None:
        """Remove the selected account and its stored password, after asking."""
        account = self.selected()
        if account is None:
            return
        answer = ask(
            self,
            "Remove account",
            f"Remove “{account.name}” and its stored password from Draftpress?",
            ["Remove"],
            details="Nothing on the blog changes.",
        )
        if answer != "Remove":
            return
        try:
            remove_account(account.name)
        except PublishError as error:
            self.message.setText(str(error))
            return
        self.refresh()
        self.message.setText(f"Removed “{account.name}”.")


def pick_account(
    parent: QWidget | None,
    question: str,
    blog: str = "",
    add: Callable[[], None] | None = None,
    among: list[Account] | None = None,
    unasked: Callable[[list[Account]], Account | None] | None = None,
) -> tuple[Account, bool] | None:
    """Return the account to use and whether the writer chose it here, or None after saying why.

    `blog` (the post's `blog:` field) names it; else the only account is used; else the writer
    picks one. Without any account, the writer is offered `add` (Blog > Accounts…). `unasked`
    may name the account to use without a question (the default blog: "chosen here" too).
    """
    try:
        accounts = load_accounts() if among is None else among  # `among`: those that qualify
        if blog:
            return find_account(blog, accounts), False
    except PublishError as error:
        tell(parent, "Which blog?", str(error))
        return None
    if not accounts:
        answer = ask(
            parent,
            "No blog account yet",
            "Add the blog first: its address, your user name and an application password.",
            ["Add account…"] if add else [],
            icon=Icon.Information,
        )
        if answer and add is not None:
            add()
        return None
    if len(accounts) == 1:
        return accounts[0], False
    chosen = unasked(accounts) if unasked is not None else None
    if chosen is not None:
        return chosen, True
    names = [a.name for a in accounts]
    name, ok = QInputDialog.getItem(parent, "Choose the blog", question, names, 0, False)
    if not ok or name not in names:
        return None
    return accounts[names.index(name)], True


def password_for(parent: QWidget | None, account: Account) -> str | None:
    """Return the account's password from the keyring, or None after saying why there is none."""
    try:
        return read_password(account)
    except PublishError as error:
        tell(parent, "No password", str(error))
        return None
